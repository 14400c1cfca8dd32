// Warm worker processes for the local scheduler. Each worker runs one task at a time through the
// same TaskRunner as `flowspec step`, evaluating the flow's code afresh for every task; a worker
// that dies (process.exit in a step, a crash, a timeout kill) is replaced by a new one. Workers are
// started as tasks need them (the scheduler runs at most --max-workers tasks at once), so a
// three-task flow never starts twenty processes.
import { cpus } from 'node:os';
import { ChildProcess, fork } from 'node:child_process';
import type { CheckedFile } from '../checkCache';
import type { TaskRecord } from '../datastore/records';
import type { TaskSpec } from '../task/runTask';
import type { LogSink, TaskExecutor, TaskHandle, TaskOutcome } from './executor';
import { OrphanGuard } from './orphanGuard';

export type WorkerMessage =
  | { type: 'log'; stream: 'stdout' | 'stderr'; text: string }
  /** `retire`: the worker ends after this task (a timed-out step may have left code pending in it). */
  | { type: 'done'; record: TaskRecord; retire?: boolean }
  /** The task ran but its record could not be written (a full disk): the scheduler records it. */
  | { type: 'error'; message: string }
  /** The answer to `check`: the file's analysis, or why there is none. */
  | { type: 'checked'; file: CheckedFile }
  | { type: 'checked'; error: string };

/** What the scheduler sends a worker: a task, or (before any task) a flow file to check (`check`). */
export type WorkerRequest = { type: 'task'; spec: TaskSpec } | { type: 'check'; file: string; text: string };

interface Worker {
  child: ChildProcess;
  busy: boolean;
  /** Receives the output of the task it runs, or stray output between tasks. */
  onLog: LogSink;
}

export interface WorkerPoolOptions {
  /** How many tasks may run at once; workers start as tasks need them, up to this many. */
  size: number;
  cliPath: string;
  env: NodeJS.ProcessEnv;
  execArgv?: string[];
}

/** Output between tasks (e.g. the inspector's "Debugger listening on ...") goes to stderr as is. */
function strayOutput(_stream: 'stdout' | 'stderr', text: string): void {
  process.stderr.write(text);
}

export class WorkerPool implements TaskExecutor {
  readonly enforcesTimeouts = false;
  private idle: Worker[] = [];
  private all = new Set<Worker>();
  private guard?: OrphanGuard;

  constructor(private readonly options: WorkerPoolOptions) {}

  get capacity(): number {
    return this.options.size;
  }

  /**
   * Starts one worker per core (at most the pool's size) ahead of the first tasks, so their start-up
   * overlaps the run's set-up and a split fans out at once; more start only as tasks need them.
   */
  warm(): void {
    const ahead = Math.min(this.options.size, cpus().length);
    while (this.all.size < ahead) this.idle.push(this.spawn());
  }

  run(spec: TaskSpec, onLog: LogSink): TaskHandle {
    const worker = this.idle.pop() ?? this.spawn();
    worker.busy = true;
    worker.onLog = onLog;
    const child = worker.child;
    const outcome = new Promise<TaskOutcome>((resolve) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'log') worker.onLog(m.stream, m.text);
        else if (m.type !== 'checked') {
          cleanup();
          worker.busy = false;
          worker.onLog = strayOutput;
          if (!(m.type === 'done' && m.retire)) this.idle.push(worker);
          resolve(m.type === 'done' ? { record: m.record } : { died: `could not record the task: ${m.message}` });
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        cleanup();
        resolve({ died: signal ? `was killed by ${signal}` : `exited with code ${code}` });
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
    child.send({ type: 'task', spec } satisfies WorkerRequest);
    return { pid: child.pid!, outcome, kill: () => child.kill('SIGKILL') };
  }

  /**
   * The pre-run check of `file` (whose content is `text`) in a warm worker, while this process bundles
   * and loads the flow (cli/validate.ts): the worker is started anyway and waits for its first task,
   * which cannot come before the check's verdict. It stays in the pool, the analyzer loaded.
   */
  check(file: string, text: string): Promise<CheckedFile> {
    // The first idle worker: `run` takes the last, so tasks go to a worker without the analyzer first.
    const worker = this.idle[0] ?? this.spawn();
    if (!this.idle.includes(worker)) this.idle.push(worker);
    // Busy until it answers: a pool closed meanwhile (the flow did not load) ends it at once.
    worker.busy = true;
    const child = worker.child;
    return new Promise<CheckedFile>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type !== 'checked') return;
        cleanup();
        worker.busy = false;
        if ('file' in m) resolve(m.file);
        else reject(new Error(m.error));
      };
      const onExit = () => {
        cleanup();
        reject(new Error('the worker checking the flow ended'));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ type: 'check', file, text } satisfies WorkerRequest);
    });
  }

  /** Ends every worker: gracefully when idle, at once when `force`. */
  close(force = false): void {
    for (const w of this.all) {
      if (force || w.busy) w.child.kill('SIGKILL');
      else if (w.child.connected) w.child.disconnect(); // a retiring worker may be gone already
    }
    this.all.clear();
    this.idle = [];
    this.guard?.close();
    this.guard = undefined;
  }

  private spawn(): Worker {
    const inspecting = (this.options.execArgv ?? []).some((a) => a.startsWith('--inspect'));
    const child = fork(this.options.cliPath, ['__worker', ...(inspecting ? ['--wait-for-debugger'] : [])], {
      env: this.options.env,
      execArgv: this.options.execArgv ?? [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.guard ??= new OrphanGuard('kill -9');
    this.guard.add(child.pid);
    const worker: Worker = { child, busy: false, onLog: strayOutput };
    child.stdout!.on('data', (d: Buffer) => worker.onLog('stdout', d.toString()));
    child.stderr!.on('data', (d: Buffer) => worker.onLog('stderr', d.toString()));
    child.on('exit', () => {
      this.guard?.remove(child.pid);
      this.all.delete(worker);
      this.idle = this.idle.filter((w) => w !== worker);
    });
    this.all.add(worker);
    return worker;
  }
}
