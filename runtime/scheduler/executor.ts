// Where a task runs, as the scheduler sees it: it hands a task to an executor and gets a handle
// whose outcome is the task's record (or how it died). The local worker pool (workerPool.ts) is
// one executor; a cluster (runtime/slurm/) is another. The scheduler does not care which.
import type { TaskSpec } from '../task/runTask';
import type { TaskHandle } from './workerPool';

export type { TaskHandle, TaskOutcome } from './workerPool';

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
  /** Starts a task; its output goes to `onLog` as it comes. */
  run(spec: TaskSpec, onLog: LogSink): TaskHandle;
  /** Releases what the executor holds (workers, jobs); `force` after an abort. */
  close(force?: boolean): void;
}
