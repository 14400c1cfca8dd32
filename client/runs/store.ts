// The Runs data layer: which datastores the workspace uses (ProjectFacts, re-asked when a project
// file changes), the datastore reader that reads them off the extension host's thread
// (client/reader/), and a FileSystemWatcher so the views refresh when runs change on disk — also
// for runs started from a terminal. An s3:// datastore cannot be watched: it is polled every few
// seconds while the Runs view is visible.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { isS3Root } from '../../runtime/datastore/s3Config';
import { datastoreRootSetting, workingFolder } from '../config';
import { ProjectFacts } from '../projectFacts';
import type { GraphRun } from '../graph/graphData';
import type { RunStatusSource } from '../graph/panel';
import { log } from '../log';
import type { FlowSnapshot, RunSummary } from '../reader/protocol';
import { DatastoreReader } from '../reader/proxy';

const DEBOUNCE_MS = 300;
/** How often s3:// datastores are re-read while the Runs view is visible (not while the last read is still going). */
export const POLL_MS = 5000;

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
  /** Each workspace folder's datastore and Slurm facts, read on the reader's thread, cached. */
  readonly facts: ProjectFacts;
  /** The datastores the Runs view shows, as last computed (updateRoots). */
  private rootList: Promise<string[]> = Promise.resolve([]);

  constructor(readonly reader = new DatastoreReader()) {
    this.facts = new ProjectFacts((folder) => this.reader.request('folderFacts', folder, datastoreRootSetting()));
    this.updateRoots();
    // What the datastore rule reads (client/datastoreRoot.ts): flowspec.config.json, and which
    // folders hold a package.json or a .flowspec/ (folders above the workspace are not watched).
    const projectFiles = vscode.workspace.createFileSystemWatcher('**/{flowspec.config.json,package.json,.flowspec}');
    const reread = (uri: vscode.Uri) => {
      log().trace(`project file changed: ${uri.fsPath}`);
      this.facts.invalidate();
      this.updateRoots();
      this.changed();
    };
    this.disposables.push(
      projectFiles,
      projectFiles.onDidCreate(reread),
      projectFiles.onDidDelete(reread),
      projectFiles.onDidChange((uri) => {
        if (path.basename(uri.fsPath) === 'flowspec.config.json') reread(uri);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.updateRoots();
        this.changed();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('flowspec.datastoreRoot')) {
          this.facts.invalidate();
          this.updateRoots();
          this.changed();
        }
        if (e.affectsConfiguration('flowspec.runs.allNamespaces')) this.changed();
      }),
    );
  }

  /** Every datastore the Runs view shows: one per workspace folder (deduplicated), and those of runs of files outside it. */
  roots(): Promise<string[]> {
    return this.rootList;
  }

  private updateRoots(): void {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    this.rootList = Promise.all(folders.map((folder) => this.facts.datastoreRoot(folder))).then(
      (roots) => [...new Set([...roots, ...this.extraRoots])],
      (e: Error) => {
        log().error(`cannot tell the workspace's datastores: ${e.message}`);
        return [...this.extraRoots];
      },
    );
    const list = this.rootList;
    void list.then((roots) => {
      if (list === this.rootList) this.syncWatchers(roots); // not an answer overtaken by a newer one
    });
  }

  /** Makes a datastore known (a run was started for a file outside the workspace). */
  async addRoot(root: string): Promise<void> {
    if ((await this.roots()).includes(root)) return;
    this.extraRoots.add(root);
    this.updateRoots();
    this.changed();
  }

  /** Flows with runs, over every datastore, each with its newest `limit` runs. */
  async flows(limit: number): Promise<FlowSnapshot[]> {
    const allNamespaces = vscode.workspace.getConfiguration('flowspec').get<boolean>('runs.allNamespaces', false);
    return this.reader.request('flows', await this.roots(), limit, allNamespaces);
  }

  /** The newest `limit` runs of the flow that ran a file, for the Run/Resume prompts. */
  async runsFor(file: vscode.Uri, flow: string, limit: number): Promise<RunSummary[]> {
    return (await this.reader.request('flow', await this.facts.datastoreRoot(workingFolder(file)), flow, limit)).runs;
  }

  /** The latest run's status per step, for the graph. */
  async latestRun(folder: string, flow: string): Promise<GraphRun | undefined> {
    return this.reader.request('latestRun', await this.facts.datastoreRoot(folder), flow);
  }

  /** Removes a run's records (its artifacts' blobs are shared by content and stay). */
  async deleteRun(root: string, flow: string, runId: string): Promise<void> {
    await this.reader.request('deleteRun', root, flow, runId);
    this.changed();
  }

  /** Removes and adds user tags of a run (system tags are refused with an error); its user tags after. */
  async changeTags(root: string, flow: string, runId: string, change: { add: string[]; remove: string[] }): Promise<string[]> {
    const tags = await this.reader.request('changeTags', root, flow, runId, change);
    this.changed();
    return tags;
  }

  /** The Runs view is shown or hidden: s3:// datastores are polled only while it is visible. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    void this.roots().then((roots) => this.syncPolling(roots));
  }

  private syncPolling(roots: string[]): void {
    const poll = this.visible && roots.some(isS3Root);
    if (poll && !this.poller) {
      this.poller = setInterval(() => {
        if (!this.reader.busy) this.emitter.fire();
      }, POLL_MS);
      log().info(`polling ${roots.filter(isS3Root).join(', ')} every ${POLL_MS / 1000} s while the Runs view is visible`);
    } else if (!poll && this.poller) {
      clearInterval(this.poller);
      this.poller = undefined;
    }
  }

  /** Something changed on disk: tell the views, once per burst of writes. */
  changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), DEBOUNCE_MS);
  }

  /** Tells the views, unless the reader is still answering the last refresh: then a little later. */
  private fire(): void {
    if (this.reader.busy) this.timer = setTimeout(() => this.fire(), DEBOUNCE_MS);
    else this.emitter.fire();
  }

  private syncWatchers(all: string[]): void {
    this.syncPolling(all);
    const roots = new Set(all.filter((r) => !isS3Root(r)));
    for (const [root, w] of this.watchers)
      if (!roots.has(root)) {
        w.dispose();
        this.watchers.delete(root);
      }
    for (const root of roots) {
      if (this.watchers.has(root)) continue;
      // Watch from the parent, so a datastore that does not exist yet is seen when it appears.
      // Everything, not just *.json: VS Code reports a new folder without the files written into
      // it at once (a new run is one folder-created event).
      const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(root)), `${path.basename(root)}/**`);
      const w = vscode.workspace.createFileSystemWatcher(pattern);
      const on = (what: string) => (uri: vscode.Uri) => {
        log().trace(`datastore ${what}: ${uri.fsPath}`);
        this.changed();
      };
      this.watchers.set(
        root,
        vscode.Disposable.from(w, w.onDidCreate(on('created')), w.onDidChange(on('changed')), w.onDidDelete(on('deleted'))),
      );
      log().info(`watching ${root}`);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearInterval(this.poller);
    for (const w of this.watchers.values()) w.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
    this.reader.dispose();
  }
}
