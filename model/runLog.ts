// The run log's line format: what `flowspec run` prints for each task and what the extension
// reads back to show progress. One definition for the writer (the scheduler) and the reader.
//
//   Workflow starting (run-id 3):
//   [3/train/7 (pid 4242)] Task is starting.
//   [3/train/7 (pid 4242)] loss 0.12
//   [3/train/7 (pid 4242)] Task finished successfully.

/** A task, and where it runs: a local process (`pid`) or a Slurm job (`slurmJob`, '12_3'). */
export interface TaskRef {
  runId: string;
  step: string;
  taskId: string;
  pid?: number;
  slurmJob?: string;
}

/**
 * `[RUNID/STEP/TASKID (pid N)]`, `[RUNID/STEP/TASKID (slurm job 12_3)]`, or without a place for a
 * task that no process ran (a clone).
 */
export function taskPrefix(task: TaskRef): string {
  const place = task.pid !== undefined ? ` (pid ${task.pid})` : task.slurmJob !== undefined ? ` (slurm job ${task.slurmJob})` : '';
  return `[${task.runId}/${task.step}/${task.taskId}${place}]`;
}

export function workflowStartingLine(runId: string): string {
  return `Workflow starting (run-id ${runId}):`;
}

/** The lines the scheduler says about a task, beside the task's own output. */
export const TASK_EVENTS = {
  starting: (retryCount: number) => (retryCount ? `Task is starting (retry ${retryCount}).` : 'Task is starting.'),
  succeeded: 'Task finished successfully.',
  failed: 'Task failed.',
  retrying: (attempt: number, of: number, delayMinutes: number) =>
    `Task failed; retrying (attempt ${attempt} of ${of})${delayMinutes ? ` in ${delayMinutes} min` : ''}.`,
  cloned: (origin: string) => `Cloned from ${origin}.`,
} as const;

export type TaskEvent = 'starting' | 'succeeded' | 'failed' | 'cloned';

const PREFIX = /^\[([^/\]\s]+)\/([^/\]\s]+)\/([^\]\s]+)(?: \((?:pid (\d+)|slurm job ([\w.-]+))\))?\]\s?(.*)$/;
const STARTING = /^Workflow starting \(run-id ([^)\s]+)\)/;

export interface LogLine {
  task?: TaskRef;
  text: string;
}

/** Splits a line into the task it belongs to (if any) and its text. */
export function parseLogLine(line: string): LogLine {
  const m = PREFIX.exec(line);
  if (!m) return { text: line };
  return {
    task: { runId: m[1], step: m[2], taskId: m[3], pid: m[4] ? Number(m[4]) : undefined, ...(m[5] ? { slurmJob: m[5] } : {}) },
    text: m[6],
  };
}

/** The run id of a `Workflow starting` line. */
export function parseWorkflowStarting(line: string): string | undefined {
  return STARTING.exec(line)?.[1];
}

/** Which scheduler event a task's line is, if it is one (retries count as failed attempts). */
export function parseTaskEvent(text: string): TaskEvent | undefined {
  if (text.startsWith('Task is starting')) return 'starting';
  if (text === TASK_EVENTS.succeeded) return 'succeeded';
  if (text === TASK_EVENTS.failed || text.startsWith('Task failed;')) return 'failed';
  if (text.startsWith('Cloned from ')) return 'cloned';
  return undefined;
}
