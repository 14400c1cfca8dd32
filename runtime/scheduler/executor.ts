// Where a task runs, as the scheduler sees it: it hands a task to an executor and gets a handle
// whose outcome is the task's record (or how it died). The local worker pool (workerPool.ts) is
// one executor; a cluster (runtime/slurm/) is another. The scheduler does not care which.
import type { ExceptionRecord, TaskRecord } from '../datastore/records';
import type { TaskSpec } from '../task/runTask';

export interface TaskOutcome {
  record?: TaskRecord;
  /** Set when the worker died before it reported (exit code or signal). */
  died?: string;
  /** An executor that knows why a task died (a cluster's reason) says so here, for the task's record. */
  exception?: ExceptionRecord;
  /** Facts of where the task ran (a Slurm job id), kept in the task's record. */
  metadata?: Record<string, string>;
  /** The task waited behind another and was stopped before it started (the run is stopping): nothing to record. */
  notStarted?: boolean;
}

export interface TaskHandle {
  /** The local process running the task (0 when it runs elsewhere); read it once `started` resolves. */
  readonly pid: number;
  /**
   * For a task handed over to wait behind a running one (`run`'s `mayWait`): resolves true when
   * it starts, false when it was stopped before. Absent: the task starts at once.
   */
  started?: Promise<boolean>;
  /** A task run as a Slurm job: the job id once submitted ('12_3'), for its log prefix; else the prefix names the pid. */
  slurmJob?: Promise<string>;
  outcome: Promise<TaskOutcome>;
  kill(): void;
}

export type LogSink = (stream: 'stdout' | 'stderr', text: string) => void;

export interface TaskExecutor {
  /**
   * How many tasks the scheduler may have in flight: the pool's size locally; unbounded for a
   * cluster, which queues jobs itself (so a foreach is handed over whole and can be one job array).
   */
  readonly capacity: number;
  /** True when the executor enforces `@timeout` itself (a cluster's time limit): the scheduler then sets no timer. */
  readonly enforcesTimeouts: boolean;
  /**
   * Set when the executor cannot run this run's tasks at all (a cluster whose nodes cannot read
   * the datastore): the run stops, and this one line says why.
   */
  readonly fatal?: string;
  /**
   * Starts a task; its output goes to `onLog` as it comes. `mayWait`: at capacity, the task may
   * wait behind a running one and start as that one ends (see `canWait`).
   */
  run(spec: TaskSpec, onLog: LogSink, mayWait?: boolean): TaskHandle;
  /** Whether a task handed over now with `mayWait` would wait behind a running one (an executor without it never does). */
  canWait?(): boolean;
  /** Releases what the executor holds (workers, jobs); `force` after an abort. */
  close(force?: boolean): void;
}
