// The Runs data layer: the runtime's client API (read-only, synchronous) over each datastore the
// workspace uses, plus a FileSystemWatcher so the views refresh when runs change on disk — also for
// runs started from a terminal. An s3:// datastore cannot be watched: it is polled every few
// seconds while the Runs view is visible.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { Flow, Run } from '../../runtime/client';
import { isS3Root, openDatastore } from '../../runtime/datastore';
import { keys } from '../../runtime/datastore/records';
import { allDatastoreRoots, datastoreRoot } from '../config';
import type { GraphRun, StepStatus } from '../graph/graphData';
import type { RunStatusSource } from '../graph/panel';
import { log } from '../log';

const DEBOUNCE_MS = 300;
/** How often s3:// datastores are re-read while the Runs view is visible. */
export const POLL_MS = 5000;

/** `damaged`: a record of the run cannot be read (`run.damage` says which); the view shows it as such. */
export type RunState = 'running' | 'success' | 'failed' | 'killed' | 'crashed' | 'damaged';

export class RunsStore implements RunStatusSource, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly watchers = new Map<string, vscode.Disposable>();
  private timer?: NodeJS.Timeout;
  private poller?: NodeJS.Timeout;
  private visible = false;
  /** Datastores of runs started for files outside any workspace folder. */
  private readonly extraRoots = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor() {
    this.syncWatchers();
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => { this.syncWatchers(); this.changed(); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('flowspec.datastoreRoot')) { this.syncWatchers(); this.changed(); }
      }),
    );
  }

  roots(): string[] { return [...new Set([...allDatastoreRoots(), ...this.extraRoots])]; }

  /** Makes a datastore known (a run was started for a file outside the workspace). */
  addRoot(root: string): void {
    if (this.roots().includes(root)) return;
    this.extraRoots.add(root);
    this.syncWatchers();
    this.changed();
  }

  /** Flows with runs, over every datastore. */
  flows(): Array<{ root: string; flow: Flow }> {
    return this.roots().flatMap((root) => {
      if (!rootExists(root)) return [];
      try { return Flow.list({ root }).map((flow) => ({ root, flow })).sort((a, b) => a.flow.name.localeCompare(b.flow.name)); }
      catch { return []; }
    });
  }

  flow(root: string, name: string): Flow { return new Flow(name, { root }); }

  /** Runs of a flow, newest first ([] when the datastore or the flow does not exist). */
  runs(root: string, name: string): Run[] {
    if (!rootExists(root)) return [];
    try { return new Flow(name, { root }).runs(); } catch { return []; }
  }

  /** The runs of the flow that ran a file, for the Run/Resume prompts. */
  runsFor(file: vscode.Uri, flow: string): Run[] {
    return this.runs(datastoreRoot(folderOf(file)), flow);
  }

  /** The latest run's status per step, for the graph. */
  latestRun(folder: vscode.Uri, flow: string): GraphRun | undefined {
    const root = datastoreRoot(folder.fsPath);
    const run = this.runs(root, flow)[0];
    return run ? graphRun(run, root) : undefined;
  }

  /** Removes a run's records (its artifacts' blobs are shared by content and stay). */
  deleteRun(root: string, flow: string, runId: string): void {
    if (!runId || /[/\\]|\.\./.test(runId) || !flow || /[/\\]|\.\./.test(flow)) throw new Error(`bad run ${flow}/${runId}`);
    openDatastore(root).remove(keys.run(flow, runId));
    this.changed();
  }

  /** The Runs view is shown or hidden: s3:// datastores are polled only while it is visible. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.syncPolling();
  }

  private syncPolling(): void {
    const poll = this.visible && this.roots().some(isS3Root);
    if (poll && !this.poller) {
      this.poller = setInterval(() => this.emitter.fire(), POLL_MS);
      log().info(`polling ${this.roots().filter(isS3Root).join(', ')} every ${POLL_MS / 1000} s while the Runs view is visible`);
    } else if (!poll && this.poller) {
      clearInterval(this.poller);
      this.poller = undefined;
    }
  }

  /** Something changed on disk: tell the views, once per burst of writes. */
  changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.emitter.fire(), DEBOUNCE_MS);
  }

  private syncWatchers(): void {
    this.syncPolling();
    const roots = new Set(this.roots().filter((r) => !isS3Root(r)));
    for (const [root, w] of this.watchers) if (!roots.has(root)) { w.dispose(); this.watchers.delete(root); }
    for (const root of roots) {
      if (this.watchers.has(root)) continue;
      // Watch from the parent, so a datastore that does not exist yet is seen when it appears.
      // Everything, not just *.json: VS Code reports a new folder without the files written into
      // it at once (a new run is one folder-created event).
      const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(root)), `${path.basename(root)}/**`);
      const w = vscode.workspace.createFileSystemWatcher(pattern);
      const on = (what: string) => (uri: vscode.Uri) => { log().trace(`datastore ${what}: ${uri.fsPath}`); this.changed(); };
      this.watchers.set(root, vscode.Disposable.from(w, w.onDidCreate(on('created')), w.onDidChange(on('changed')), w.onDidDelete(on('deleted'))));
      log().info(`watching ${root}`);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearInterval(this.poller);
    for (const w of this.watchers.values()) w.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** An s3:// datastore is asked, not checked on disk (a missing bucket lists as empty). */
function rootExists(root: string): boolean {
  return isS3Root(root) || existsSync(root);
}

export function folderOf(file: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(file.fsPath);
}

export function runState(run: Run): RunState {
  try { return run.status as RunState; } catch { return 'crashed'; }
}

/** A step's status from its tasks: failed if any failed, running if any is unfinished. */
export function stepStatus(tasks: Array<{ finished: boolean; successful: boolean }>, runFinished: boolean): StepStatus {
  if (tasks.some((t) => t.finished && !t.successful)) return 'failed';
  if (tasks.some((t) => !t.finished)) return runFinished ? 'failed' : 'running';
  return 'success';
}

function graphRun(run: Run, root: string): GraphRun {
  const state = runState(run);
  const steps: Record<string, StepStatus> = {};
  const taskCounts: Record<string, number> = {};
  const cards: NonNullable<GraphRun['cards']> = {};
  try {
    for (const step of run.steps()) {
      const tasks = step.tasks();
      steps[step.name] = stepStatus(tasks, state !== 'running');
      taskCounts[step.name] = tasks.length;
      // The badge opens a running task's card if there is one, else the step's first card.
      const withCard = tasks.find((t) => !t.finished && t.hasCards) ?? tasks.find((t) => t.hasCards);
      if (withCard) cards[step.name] = { root, pathspec: withCard.pathspec };
    }
  } catch { /* a run being written: show what we have */ }
  return { id: run.id, status: state === 'crashed' || state === 'damaged' ? 'killed' : state, steps, taskCounts, cards };
}
