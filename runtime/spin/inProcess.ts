// Where a spun task runs under a debugger (Debug Spin: the CLI under --inspect-brk): in the spin's
// own process, which the debugger is attached to, so breakpoints in the step stop it. Any other
// spin runs its task on a worker process, as a run does (runtime/scheduler/workerPool.ts).
import type { Datastore } from '../datastore';
import type { LogSink, TaskExecutor, TaskHandle } from '../scheduler/executor';
import { TaskRunner, TaskSpec } from '../task/runTask';

export class InProcessExecutor implements TaskExecutor {
  readonly capacity = 1;
  /**
   * The step gets its @timeout as a TimeoutError inside it (runtime/task/stepTimeout.ts); the kill
   * of a step that does not yield is left out: it would end the process the debugger holds.
   */
  readonly enforcesTimeouts = true;
  private readonly runner: TaskRunner;

  constructor(datastore: Datastore) {
    this.runner = new TaskRunner(datastore);
  }

  run(spec: TaskSpec, onLog: LogSink): TaskHandle {
    return { pid: process.pid, outcome: this.runner.run(spec, onLog).then((record) => ({ record })), kill: () => {} };
  }

  close(): void {}
}
