// Reads the CLI's run output line by line: the run id, which tasks started, finished or failed.
// Pure (no vscode import); drives the progress notification and the failure message.
import type { FlowModel } from '../model/flowModel';

export interface TaskRef { runId: string; step: string; taskId: string; pid?: number; slurmJob?: string }

/** `[RUNID/STEP/TASKID (pid N)] text`, or `(slurm job 12_3)` for a task run as a Slurm job. */
const PREFIX = /^\[([^/\]\s]+)\/([^/\]\s]+)\/([^\]\s]+)(?: \((?:pid (\d+)|slurm job ([\w.-]+))\))?\]\s?(.*)$/;
const START = /Workflow starting \(run-id ([^)\s]+)\)/;

export interface LogLine { task?: TaskRef; text: string }

export function parseLogLine(line: string): LogLine {
  const m = PREFIX.exec(line);
  if (!m) return { text: line };
  return { task: { runId: m[1], step: m[2], taskId: m[3], pid: m[4] ? Number(m[4]) : undefined, ...(m[5] ? { slurmJob: m[5] } : {}) }, text: m[6] };
}

/** Follows one run's output. */
export class RunLogTracker {
  runId?: string;
  readonly started = new Map<string, TaskRef>();
  readonly finished = new Map<string, TaskRef>();
  readonly failed = new Map<string, TaskRef>();
  private readonly lastLines = new Map<string, string>();

  /** Feeds one line; returns true when the counts changed. */
  feed(line: string): boolean {
    const m = START.exec(line);
    if (m && !this.runId) { this.runId = m[1]; return true; }
    const { task, text } = parseLogLine(line);
    if (!task) return false;
    this.runId ??= task.runId;
    const key = `${task.step}/${task.taskId}`;
    if (/^Task is starting/.test(text)) { this.started.set(key, task); return true; }
    if (/^Task finished successfully/.test(text)) { this.finished.set(key, task); this.failed.delete(key); return true; }
    if (/^Task failed|^Task .*(failed|killed|timed out)/i.test(text)) { this.failed.set(key, task); return true; }
    this.lastLines.set(key, text);
    return false;
  }

  get done(): number { return this.finished.size; }

  /**
   * The task to show when the run failed: the one that said it failed, else one that started and
   * never finished.
   */
  failedTask(): TaskRef | undefined {
    const f = [...this.failed.values()].pop();
    if (f) return f;
    return [...this.started.entries()].filter(([k]) => !this.finished.has(k)).map(([, t]) => t).pop();
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
