// Split frames: where a task sits inside the foreach and branch splits above it. A task derives
// its own frames from its parents' records, and the scheduler uses the same functions to know
// which tasks a join waits for; so any engine that launches tasks gets the same answer.
import type { SplitFrame, TaskRecord } from '../datastore/records';

/** Frames of a task of `childStep` started by `parent` (the task's only input, for a non-join). */
export function childStack(parent: TaskRecord, childStep: string, childIsJoin: boolean, splitIndex?: number): SplitFrame[] {
  if (childIsJoin) return parent.stack.slice(0, -1);
  const next = parent.next;
  if (next?.kind === 'branch') {
    return [...parent.stack, { step: parent.step, kind: 'branch', index: next.targets.indexOf(childStep), count: next.targets.length }];
  }
  if (next?.kind === 'foreach') {
    if (splitIndex === undefined) throw new Error(`a task of '${childStep}' under the foreach of '${parent.step}' needs a split index`);
    if (next.numParallel !== undefined)
      return [...parent.stack, { step: parent.step, kind: 'foreach', index: splitIndex, count: next.numParallel, parallel: true }];
    return [
      ...parent.stack,
      {
        step: parent.step,
        kind: 'foreach',
        index: splitIndex,
        count: next.foreachCount ?? 0,
        var: next.foreach,
        valueHash: next.foreachHash,
      },
    ];
  }
  return parent.stack;
}

/** Identifies the group of tasks one join task waits for. */
export function joinKey(joinStep: string, joinStack: SplitFrame[]): string {
  return `${joinStep}|${joinStack.map((f) => `${f.step}:${f.index}`).join('/')}`;
}
