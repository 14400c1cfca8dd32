// Which tasks of an earlier run a resume reuses: every successful task whose step is not the one
// resumed from (the failed step, or the STEP asked for) nor after it in the graph, matched by step
// and position in the foreach/branch splits (and, in a switch loop, by pass). After a failure, the
// tasks that led to it are reused too: in a loop, the passes that finished before the failing one.
import type { Datastore } from '../datastore';
import { keys, readTaskRecord, SplitFrame, StaticStep, TaskRecord } from '../datastore/records';
import type { Launch } from './localScheduler';

/** `from` and every step reachable from it. */
export function stepsFrom(graph: Record<string, StaticStep>, from: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const todo = [...from];
  while (todo.length) {
    const step = todo.pop()!;
    if (seen.has(step)) continue;
    seen.add(step);
    todo.push(...(graph[step]?.targets ?? []));
  }
  return seen;
}

const positionKey = (step: string, stack: SplitFrame[]) => `${step}|${stack.map((f) => f.index).join('/')}`;

export class OriginRun {
  private byPosition = new Map<string, TaskRecord[]>();
  readonly failedSteps = new Set<string>();
  readonly succeededSteps = new Set<string>();
  /** `run/step/task` of every task a failed task descends from. */
  private ancestorsOfFailures = new Set<string>();

  constructor(datastore: Datastore, flow: string, readonly runId: string) {
    const failed: TaskRecord[] = [];
    const byPath = new Map<string, TaskRecord>();
    for (const step of datastore.list(keys.steps(flow, runId))) {
      const ids = datastore.list(keys.tasks(flow, runId, step)).sort((a, b) => Number(a) - Number(b));
      for (const id of ids) {
        const record = readTaskRecord(datastore, flow, runId, step, id);
        if (!record) continue;
        byPath.set(`${record.runId}/${record.step}/${record.taskId}`, record);
        if (record.status !== 'success') { this.failedSteps.add(step); failed.push(record); continue; }
        this.succeededSteps.add(step);
        const key = positionKey(step, record.stack);
        const list = this.byPosition.get(key) ?? [];
        list.push(record);
        this.byPosition.set(key, list);
      }
    }
    const todo = failed.flatMap((t) => t.inputPaths);
    while (todo.length) {
      const path = todo.pop()!;
      if (this.ancestorsOfFailures.has(path)) continue;
      this.ancestorsOfFailures.add(path);
      todo.push(...(byPath.get(path)?.inputPaths ?? []));
    }
  }

  /** Whether a task of this run led to one that failed (so it finished before the failure). */
  ledToFailure(task: TaskRecord): boolean {
    return this.ancestorsOfFailures.has(`${task.runId}/${task.step}/${task.taskId}`);
  }

  /** The successful task at the same step, position and pass, if any. */
  find(launch: Launch, occurrence: number): TaskRecord | undefined {
    return this.byPosition.get(positionKey(launch.step, launch.stack))?.[occurrence];
  }
}
