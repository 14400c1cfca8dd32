// Warm worker processes for the local scheduler. Each worker runs one task at a time through the
// same TaskRunner as `flowspec step`, evaluating the flow's code afresh for every task; a worker
// that dies (process.exit in a step, a crash, a timeout kill) is replaced by a new one. Workers are
// started as tasks need them (the scheduler runs at most --max-workers tasks at once), so a
// three-task flow never starts twenty processes. A task may wait on a busy worker (one each): the
// worker starts it as it finishes the one before, with no round trip to the scheduler in between;
// if that worker dies first, the waiting task goes to another.
import { cpus } from 'node:os';
import { ChildProcess, fork } from 'node:child_process';
import type { TaskRecord } from '../datastore/records';
import type { TaskSpec } from '../task/runTask';
import type { LogSink, TaskExecutor, TaskHandle, TaskOutcome } from './executor';
import { OrphanGuard } from './orphanGuard';

export type WorkerMessage =
  | { type: 'log'; stream: 'stdout' | 'stderr'; text: string }
  /** `retire`: the worker ends after this task (a timed-out step may have left code pending in it). */
  | { type: 'done'; record: TaskRecord; retire?: boolean }
  /** The task ran but its record could not be written (a full disk): the scheduler records it. */
  | { type: 'error'; message: string };

interface Worker {
  child: ChildProcess;
  /** The tasks handed to this worker, in the order it runs them: the first runs, the others wait. */
  tasks: Assigned[];
}

/** A task handed to a worker, and how to report on it. */
interface Assigned {
  spec: TaskSpec;
  onLog: LogSink;
  /** The worker it is on: another one when the worker it waited on died first. */
  worker: Worker;
  start: () => void;
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

  /** One task may wait on each worker, so a worker never sits idle while the scheduler hears of its last task. */
  get waiting(): number {
    return this.options.size;
  }

  /**
   * Starts one worker per core (at most the pool's size) ahead of the first tasks, so their start-up
   * overlaps the run's set-up and a split fans out at once; more start only as tasks need them.
   */
  warm(): void {
    const ahead = Math.min(this.options.size, cpus().length);
    while (this.all.size < ahead) this.spawn();
  }

  run(spec: TaskSpec, onLog: LogSink, mayWait = false): TaskHandle {
    let start!: () => void;
    let finish!: (outcome: TaskOutcome) => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const outcome = new Promise<TaskOutcome>((resolve) => (finish = resolve));
    const task: Assigned = { spec, onLog, worker: this.workerFor(mayWait), start, finish };
    this.assign(task, task.worker);
    return {
      get pid() {
        return task.worker.child.pid!;
      },
      started,
      outcome,
      kill: () => task.worker.child.kill('SIGKILL'),
    };
  }

  /** An idle worker; else, for a task that may wait, the busy one with the fewest tasks; else a new one. */
  private workerFor(mayWait: boolean): Worker {
    let best: Worker | undefined;
    for (const w of this.all) {
      if (!w.child.connected) continue;
      if (w.tasks.length === 0) return w;
      if (mayWait && (!best || w.tasks.length < best.tasks.length)) best = w;
    }
    return best ?? this.spawn();
  }

  private assign(task: Assigned, worker: Worker): void {
    task.worker = worker;
    worker.tasks.push(task);
    if (worker.tasks.length === 1) task.start();
    worker.child.send({ type: 'task', spec: task.spec });
  }

  /** Ends every worker: gracefully when idle, at once when `force`. */
  close(force = false): void {
    for (const w of this.all) {
      if (force || w.tasks.length) w.child.kill('SIGKILL');
      else if (w.child.connected) w.child.disconnect(); // a retiring worker may be gone already
    }
    this.all.clear();
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
    const worker: Worker = { child, tasks: [] };
    // Output goes to the task that runs; between tasks (the inspector's "Debugger listening on ...") to stderr as is.
    const output = (stream: 'stdout' | 'stderr', text: string) => (worker.tasks[0]?.onLog ?? strayOutput)(stream, text);
    child.stdout!.on('data', (d: Buffer) => output('stdout', d.toString()));
    child.stderr!.on('data', (d: Buffer) => output('stderr', d.toString()));
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'log') return output(m.stream, m.text);
      const done = worker.tasks.shift()!;
      done.finish(m.type === 'done' ? { record: m.record } : { died: `could not record the task: ${m.message}` });
      // A retiring worker runs nothing more: what waited on it goes to another.
      if (m.type === 'done' && m.retire) this.reassign(worker);
      else worker.tasks[0]?.start();
    });
    child.on('exit', (code, signal) => {
      this.guard?.remove(child.pid);
      this.all.delete(worker);
      worker.tasks.shift()?.finish({ died: signal ? `was killed by ${signal}` : `exited with code ${code}` });
      this.reassign(worker);
    });
    this.all.add(worker);
    return worker;
  }

  /** The tasks that waited on a worker that ends, handed to others (they have not started). */
  private reassign(worker: Worker): void {
    this.all.delete(worker);
    for (const task of worker.tasks.splice(0)) this.assign(task, this.workerFor(false));
  }
}
