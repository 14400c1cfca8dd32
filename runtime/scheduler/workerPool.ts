// Warm worker processes for the local scheduler. Each worker runs one task at a time through the
// same TaskRunner as `flowspec step`, evaluating the flow's code afresh for every task; a worker
// that dies (process.exit in a step, a crash, a timeout kill) is replaced by a new one. Workers are
// started as tasks need them (the scheduler runs at most --max-workers tasks at once), so a
// three-task flow never starts twenty processes. When every worker is busy, a task may wait behind
// a running one (one each, as the scheduler allows): the worker starts it as it finishes the one
// before, with no round trip to the scheduler in between; if that worker ends first, the waiting
// task goes to another.
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
  /** The tasks handed to this worker, in the order it runs them: the first runs, the next one waits for it. */
  tasks: Handed[];
  /** It checks, or has checked, a flow (`check`): it holds the analyzer, and tasks go to other idle workers first. */
  checked?: 'checking' | 'done';
}

/** A task handed to a worker, and how to report on it. */
interface Handed {
  spec: TaskSpec;
  onLog: LogSink;
  /** A task that may wait behind another when the pool is full; only such a task has one waiting behind it. */
  mayWait: boolean;
  worker: Worker;
  /** Set while the task waits: reports its start (true), or that it was stopped before (false). */
  start?: (ran: boolean) => void;
  finish: (outcome: TaskOutcome) => void;
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
  private all = new Set<Worker>();
  private guard?: OrphanGuard;

  constructor(private readonly options: WorkerPoolOptions) {}

  get capacity(): number {
    return this.options.size;
  }

  /**
   * Starts one worker per core (at most the pool's size) ahead of the first tasks, so their start-up
   * overlaps the run's set-up and a split fans out at once; more start only as tasks need them.
   * `only` caps them: a flow known to run one task at a time needs one.
   */
  warm(only?: number): void {
    const ahead = Math.min(this.options.size, cpus().length, only ?? Infinity);
    while (this.all.size < ahead) this.spawn();
  }

  run(spec: TaskSpec, onLog: LogSink, mayWait = false): TaskHandle {
    let finish!: (outcome: TaskOutcome) => void;
    const outcome = new Promise<TaskOutcome>((resolve) => (finish = resolve));
    const worker = this.idleWorker() ?? (mayWait && this.full() ? this.waitableWorker() : undefined) ?? this.spawn();
    const task: Handed = { spec, onLog, mayWait, worker, finish };
    const started = worker.tasks.length ? new Promise<boolean>((resolve) => (task.start = resolve)) : undefined;
    this.assign(task, worker);
    return new PoolTaskHandle(task, started, outcome, () => this.kill(task));
  }

  /**
   * The pre-run check of `file` (whose content is `text`) in a warm worker, while this process bundles
   * and loads the flow (cli/validate.ts): the worker is started anyway and waits for its first task,
   * which cannot come before the check's verdict. It stays in the pool, the analyzer loaded.
   */
  check(file: string, text: string): Promise<CheckedFile> {
    const worker = this.idleWorker() ?? this.spawn();
    // Busy until it answers: a pool closed meanwhile (the flow did not load) ends it at once.
    worker.checked = 'checking';
    const child = worker.child;
    return new Promise<CheckedFile>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type !== 'checked') return;
        cleanup();
        worker.checked = 'done';
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

  canWait(): boolean {
    return this.full() && !this.idleWorker() && this.waitableWorker() !== undefined;
  }

  /** As many workers as the pool's size: a task then waits rather than start another. */
  private full(): boolean {
    return this.all.size >= this.options.size;
  }

  /** Ends every worker: gracefully when idle, at once when `force`. */
  close(force = false): void {
    for (const w of this.all) {
      if (force || w.tasks.length || w.checked === 'checking') w.child.kill('SIGKILL');
      else if (w.child.connected) w.child.disconnect(); // a retiring worker may be gone already
    }
    this.all.clear();
    this.guard?.close();
    this.guard = undefined;
  }

  /** An idle worker, one without the analyzer (`check`) first. */
  private idleWorker(): Worker | undefined {
    let checker: Worker | undefined;
    for (const w of this.all) {
      if (w.tasks.length || !w.child.connected) continue;
      if (!w.checked) return w;
      checker ??= w;
    }
    return checker;
  }

  /** A busy worker whose task may have another wait behind it, and has none yet. */
  private waitableWorker(): Worker | undefined {
    for (const w of this.all) if (w.tasks.length === 1 && w.tasks[0].mayWait && w.child.connected) return w;
    return undefined;
  }

  private assign(task: Handed, worker: Worker): void {
    task.worker = worker;
    worker.tasks.push(task);
    worker.child.send({ type: 'task', spec: task.spec } satisfies WorkerRequest);
  }

  /** Kills the task's worker; a task that had not started yet is told so (the worker had it in hand). */
  private kill(task: Handed): void {
    const tasks = task.worker.tasks;
    const at = tasks.indexOf(task);
    if (at > 0) {
      tasks.splice(at, 1);
      task.start?.(false);
      task.finish({ notStarted: true });
    }
    task.worker.child.kill('SIGKILL');
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
    const worker: Worker = { child, tasks: [] };
    // Output goes to the running task; between tasks (the inspector's "Debugger listening on ...") to stderr as is.
    const output = (stream: 'stdout' | 'stderr', text: string) => (worker.tasks[0]?.onLog ?? strayOutput)(stream, text);
    child.stdout!.on('data', (d: Buffer) => output('stdout', d.toString()));
    child.stderr!.on('data', (d: Buffer) => output('stderr', d.toString()));
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'log') return output(m.stream, m.text);
      if (m.type === 'checked') return; // check's own listener
      const done = worker.tasks.shift();
      done?.finish(m.type === 'done' ? { record: m.record } : { died: `could not record the task: ${m.message}` });
      // A retiring worker runs nothing more: a task waiting on it goes to another.
      if (m.type === 'done' && m.retire) this.reassign(worker);
      else this.started(worker);
    });
    child.on('exit', (code, signal) => {
      this.guard?.remove(child.pid);
      worker.tasks.shift()?.finish({ died: signal ? `was killed by ${signal}` : `exited with code ${code}` });
      this.reassign(worker);
    });
    this.all.add(worker);
    return worker;
  }

  /** The worker has gone on to its next task, if one waited. */
  private started(worker: Worker): void {
    const next = worker.tasks[0];
    next?.start?.(true);
    if (next) next.start = undefined;
  }

  /** A worker that ends: it leaves the pool, and the tasks waiting on it (they have not started) go to others. */
  private reassign(worker: Worker): void {
    this.all.delete(worker);
    for (const task of worker.tasks.splice(0)) {
      const to = this.idleWorker() ?? this.spawn();
      this.assign(task, to);
      this.started(to);
    }
  }
}

/**
 * A task handed to the pool, as the scheduler holds it. A class, not an object literal with a getter
 * for `pid`: such a literal gets a hidden class of its own for every task, which V8 keeps in its old
 * generation, and it held the tasks' objects past the young collections (the scheduler's peak memory
 * for a foreach of 10,000 went from 68 to 97 MiB).
 */
class PoolTaskHandle implements TaskHandle {
  constructor(
    private readonly task: Handed,
    readonly started: Promise<boolean> | undefined,
    readonly outcome: Promise<TaskOutcome>,
    readonly kill: () => void,
  ) {}

  /** The worker it runs on: another one when the worker it waited on ended first. */
  get pid(): number {
    return this.task.worker.child.pid!;
  }
}
