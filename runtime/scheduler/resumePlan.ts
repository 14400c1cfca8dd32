// Which tasks of an earlier run a resume reuses. As Metaflow's runtime: every successful task of
// the origin is cloned, siblings of a failed foreach item included, so only the failed tasks and
// what follows them run again; with `resume STEP`, that step and every step after it run again.
// Tasks are matched by step and position in the foreach/branch splits (and, in a switch loop, by
// pass). Nothing after a failure can have succeeded (a task starts only once its inputs have).
import { reachableFrom, successorsOf } from '../../model/graph';
import type { Datastore } from '../datastore';
import { keys, readTaskRecord, SplitFrame, StaticStep, TaskRecord } from '../datastore/records';

/** `from` and every step reachable from it. */
export function stepsFrom(graph: Record<string, StaticStep>, from: Iterable<string>): Set<string> {
  return reachableFrom(successorsOf(graph), from);
}

/**
 * Where a task stands in a run: its step and its index in every enclosing split. A resumed run
 * takes the origin's task at the same position (the scheduler counts how often a switch loop
 * reaches one position, and takes the origin's task of the same pass).
 */
export const positionKey = (step: string, stack: SplitFrame[]) => `${step}|${stack.map((f) => f.index).join('/')}`;

/** A task to run, as resume matches it: its step and the split frames it will have. */
export interface TaskPosition {
  step: string;
  stack: SplitFrame[];
}

export class OriginRun {
  private byPosition = new Map<string, TaskRecord[]>();
  readonly failedSteps = new Set<string>();
  readonly succeededSteps = new Set<string>();

  constructor(
    datastore: Datastore,
    flow: string,
    readonly runId: string,
  ) {
    for (const step of datastore.list(keys.steps(flow, runId))) {
      const ids = datastore.list(keys.tasks(flow, runId, step)).sort((a, b) => Number(a) - Number(b));
      for (const id of ids) {
        const record = readTaskRecord(datastore, flow, runId, step, id);
        if (!record) continue;
        if (record.status !== 'success') {
          this.failedSteps.add(step);
          continue;
        }
        this.succeededSteps.add(step);
        const key = positionKey(step, record.stack);
        const list = this.byPosition.get(key) ?? [];
        list.push(record);
        this.byPosition.set(key, list);
      }
    }
  }

  /**
   * The successful task at the same step, position and pass, if any. A node of a @parallel gang
   * is cloned only with its whole gang: a rerun node could not meet cloned peers.
   */
  find(launch: TaskPosition, occurrence: number): TaskRecord | undefined {
    const top = launch.stack[launch.stack.length - 1];
    if (top?.parallel) {
      const outer = launch.stack.slice(0, -1);
      for (let node = 0; node < top.count; node++) {
        if (!this.byPosition.get(positionKey(launch.step, [...outer, { ...top, index: node }]))?.[occurrence]) return undefined;
      }
    }
    return this.byPosition.get(positionKey(launch.step, launch.stack))?.[occurrence];
  }
}
