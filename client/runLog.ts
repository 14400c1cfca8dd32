// Follows the CLI's run output line by line (the format is model/runLog.ts): the run id, which
// tasks started, finished or failed. Pure (no vscode import); drives the progress notification and
// the failure message.
import type { FlowModel } from '../model/flowModel';
import { parseLogLine, parseTaskEvent, parseWorkflowStarting, TaskRef } from '../model/runLog';

export { parseLogLine, TaskRef };

/** Follows one run's output. */
export class RunLogTracker {
  runId?: string;
  readonly started = new Map<string, TaskRef>();
  readonly finished = new Map<string, TaskRef>();
  readonly failed = new Map<string, TaskRef>();

  /** Feeds one line; returns true when the counts changed. */
  feed(line: string): boolean {
    const started = parseWorkflowStarting(line);
    if (started && !this.runId) {
      this.runId = started;
      return true;
    }
    const { task, text } = parseLogLine(line);
    if (!task) return false;
    this.runId ??= task.runId;
    const key = `${task.step}/${task.taskId}`;
    switch (parseTaskEvent(text)) {
      case 'starting':
        this.started.set(key, task);
        return true;
      case 'succeeded':
      case 'cloned':
        this.finished.set(key, task);
        this.failed.delete(key);
        return true;
      case 'failed':
        this.failed.set(key, task);
        return true;
      default:
        return false;
    }
  }

  get done(): number {
    return this.finished.size;
  }

  /**
   * The task to show when the run failed: the one that said it failed, else one that started and
   * never finished.
   */
  failedTask(): TaskRef | undefined {
    const f = [...this.failed.values()].pop();
    if (f) return f;
    return [...this.started.entries()]
      .filter(([k]) => !this.finished.has(k))
      .map(([, t]) => t)
      .pop();
  }
}

/**
 * How many tasks a run of this flow has, when that is known before it runs: one per step when the
 * flow has no foreach (a switch leaves some steps out, so it is only an upper bound then, and we
 * say unknown).
 */
export function expectedTaskCount(flow: Pick<FlowModel, 'steps'>): number | undefined {
  if (flow.steps.some((s) => s.transition && (s.transition.kind === 'foreach' || s.transition.kind === 'switch'))) return undefined;
  return flow.steps.length;
}

/** "3/5 tasks" or "3 tasks done" */
export function progressMessage(done: number, total: number | undefined): string {
  return total ? `${Math.min(done, total)}/${total} tasks` : `${done} task${done === 1 ? '' : 's'} done`;
}
