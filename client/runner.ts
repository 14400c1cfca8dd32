// Runs flows with the bundled CLI: live prefixed logs in the "FlowSpec Runs" output channel
// (coloured by the flowspec-log grammar), a progress notification with tasks done/total and a
// Cancel button that ends the run's whole process group, and on failure a message offering
// "Resume" and "Show failed task".
import * as vscode from 'vscode';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cli, workingFolder } from './config';
import type { ProjectFacts } from './projectFacts';
import { RunLogTracker, TaskRef, progressMessage } from './runLog';

export interface RunRequest {
  file: vscode.Uri;
  flow: string;
  /** CLI arguments after the file: `run FILE --flow F ...` or `resume FILE [STEP] ...` */
  command: 'run' | 'resume';
  args: string[];
  /** Tasks expected (undefined when a foreach or switch makes it unknowable). */
  expectedTasks?: number;
  /** What the progress notification calls the run. */
  title: string;
  /** Receives the function that cancels this run (e.g. when its debug session ends). */
  onStart?: (cancel: () => void) => void;
  /** Lines shown under the command line in the output (e.g. what a temporary params file holds). */
  notes?: string[];
  /** Tasks run as Slurm jobs (`--with slurm`): Cancel gives the CLI longer to scancel them. */
  onSlurm?: boolean;
  /** For a resume: the run it resumes (once it succeeds, that run's "failed" notification goes). */
  originRunId?: string;
}

export interface RunResult {
  runId?: string;
  exitCode: number | null;
  status: 'success' | 'failed' | 'cancelled' | 'error';
  /** The failed task, when the run failed. */
  failedTask?: TaskRef;
  /** The datastore the run wrote to. */
  root: string;
  /** The last lines of stderr when the CLI refused the input (exit code 2). */
  error?: string;
  /** The CLI's process id and those of the processes that ran tasks. */
  pid?: number;
  taskPids: number[];
}

export interface RunHooks {
  /**
   * Before the CLI starts: the language server writes the pre-run check's verdict of the flow
   * from the analysis it holds, so the CLI does not load the analyzer to check it again.
   */
  willRun(file: vscode.Uri, flow: string): Promise<void>;
  /** Called when a run starts and ends, so the views can refresh. */
  onRunEvent(root: string): void;
  /** Failure actions. */
  resume(file: vscode.Uri, flow: string, runId: string): Thenable<unknown>;
  showFailedTask(root: string, flow: string, task: TaskRef): Thenable<unknown>;
}

export class RunManager implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('FlowSpec Runs', 'flowspec-log');
  private readonly active = new Set<() => void>();
  /** Runs whose "failed" notification is on screen, unanswered (root, flow, run id). */
  private readonly failedShown = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly hooks: RunHooks,
    private readonly facts: ProjectFacts,
  ) {}

  /** Starts a run; resolves when the CLI exits. Failure messages are shown without blocking. */
  async start(req: RunRequest): Promise<RunResult> {
    const cwd = workingFolder(req.file);
    const root = await this.facts.datastoreRoot(cwd);
    const rel = path.relative(cwd, req.file.fsPath) || req.file.fsPath;
    const inv = cli(this.context, [req.command, rel, ...req.args], cwd, root);
    await this.hooks.willRun(req.file, req.flow);
    this.output.appendLine('');
    this.output.appendLine(`▶ flowspec ${[req.command, rel, ...req.args].map(quote).join(' ')}   (in ${cwd})`);
    for (const note of req.notes ?? []) this.output.appendLine(`  ${note}`);
    this.output.show(true);

    return new Promise<RunResult>((resolve) => {
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: req.title, cancellable: true },
        (progress, token) =>
          new Promise<void>((finish) => {
            const tracker = new RunLogTracker();
            const stderrTail: string[] = [];
            let cancelled = false;
            const child = spawn(inv.command, inv.args, {
              cwd: inv.cwd,
              env: inv.env,
              detached: process.platform !== 'win32',
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            const kill = (signal: NodeJS.Signals) => {
              try {
                if (child.pid && process.platform !== 'win32') process.kill(-child.pid, signal);
                else child.kill(signal);
              } catch {
                /* gone */
              }
            };
            const cancel = () => {
              if (child.exitCode !== null) return;
              cancelled = true;
              this.output.appendLine('■ cancelled: stopping the run…');
              kill('SIGTERM');
              setTimeout(
                () => {
                  if (child.exitCode === null) kill('SIGKILL');
                },
                req.onSlurm ? 20_000 : 3000,
              ).unref();
            };
            this.active.add(cancel);
            req.onStart?.(cancel);
            token.onCancellationRequested(cancel);
            progress.report({ message: 'starting…' });
            let reported = 0;
            const onLine = (line: string, stream: 'stdout' | 'stderr') => {
              this.output.appendLine(line);
              if (stream === 'stderr') {
                stderrTail.push(line);
                if (stderrTail.length > 20) stderrTail.shift();
              }
              if (tracker.feed(line)) {
                if (tracker.runId && tracker.started.size === 1 && tracker.done === 0) this.hooks.onRunEvent(root);
                const increment = req.expectedTasks ? ((tracker.done - reported) / req.expectedTasks) * 100 : undefined;
                reported = tracker.done;
                progress.report({
                  message: `${tracker.runId ? `run ${tracker.runId}: ` : ''}${progressMessage(tracker.done, req.expectedTasks)}`,
                  increment,
                });
              }
            };
            createInterface({ input: child.stdout! }).on('line', (l) => onLine(l, 'stdout'));
            createInterface({ input: child.stderr! }).on('line', (l) => onLine(l, 'stderr'));
            const done = (exitCode: number | null, spawnError?: Error) => {
              this.active.delete(cancel);
              finish();
              const status: RunResult['status'] = spawnError
                ? 'error'
                : cancelled
                  ? 'cancelled'
                  : exitCode === 0
                    ? 'success'
                    : exitCode === 2
                      ? 'error'
                      : 'failed';
              const taskPids = [...new Set([...tracker.started.values()].map((t) => t.pid).filter((p): p is number => p !== undefined))];
              const result: RunResult = {
                runId: tracker.runId,
                exitCode,
                status,
                root,
                pid: child.pid,
                taskPids,
                failedTask: status === 'failed' ? tracker.failedTask() : undefined,
                error: spawnError ? spawnError.message : status === 'error' ? stderrTail.join('\n') : undefined,
              };
              this.output.appendLine(
                `${status === 'success' ? '✔' : '✘'} ${req.flow}${tracker.runId ? ` run ${tracker.runId}` : ''}: ${status}${exitCode !== null && status !== 'success' ? ` (exit code ${exitCode})` : ''}`,
              );
              this.hooks.onRunEvent(root);
              this.notify(req, result);
              resolve(result);
            };
            child.on('error', (e) => done(null, e));
            child.on('close', (code) => done(code));
          }),
      );
    });
  }

  private notify(req: RunRequest, r: RunResult): void {
    const name = `${req.flow}${r.runId ? ` run ${r.runId}` : ''}`;
    if (r.status === 'success') {
      // Success needs no toast: the progress ends, the log and the Runs view say it.
      vscode.window.setStatusBarMessage(`$(pass) ${name} succeeded`, 15000);
      // The failure it resumed is fixed: its notification must not stay on screen. VS Code's API
      // cannot close one notification, so the toasts are hidden (they stay in the notification centre).
      const fixed = req.originRunId !== undefined && `${r.root}\0${req.flow}\0${req.originRunId}`;
      if (fixed && this.failedShown.delete(fixed)) void vscode.commands.executeCommand('notifications.hideToasts');
    } else if (r.status === 'failed') {
      const actions = [...(r.runId ? ['Resume'] : []), ...(r.failedTask ? ['Show failed task'] : []), 'Show log'];
      const shown = `${r.root}\0${req.flow}\0${r.runId}`;
      if (r.runId) this.failedShown.add(shown);
      void vscode.window.showErrorMessage(`${name} failed${r.failedTask ? ` in step ${r.failedTask.step}` : ''}.`, ...actions).then((a) => {
        this.failedShown.delete(shown);
        if (a === 'Resume' && r.runId) void this.hooks.resume(req.file, req.flow, r.runId);
        if (a === 'Show failed task' && r.failedTask) void this.hooks.showFailedTask(r.root, req.flow, r.failedTask);
        if (a === 'Show log') this.output.show();
      });
    } else if (r.status === 'error') {
      void vscode.window
        .showErrorMessage(
          `Could not ${req.command} ${req.flow}: ${(r.error ?? '').split('\n').filter(Boolean).pop() ?? 'see the FlowSpec Runs output'}`,
          'Show log',
        )
        .then((a) => {
          if (a) this.output.show();
        });
    } else if (r.status === 'cancelled') {
      void vscode.window.showWarningMessage(`${name} was cancelled.`);
    }
  }

  /** Runs still going (for tests and for deactivate). */
  get running(): number {
    return this.active.size;
  }

  cancelAll(): void {
    for (const c of [...this.active]) c();
  }

  dispose(): void {
    this.cancelAll();
    this.output.dispose();
  }
}

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
