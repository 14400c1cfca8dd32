// cycle (any loop not closed by a switch) and unreachable-step.
import { Rule, diag } from './context';
import { backEdges, reachableFrom } from '../../model/graph';

export const cycles: Rule = (ctx) => {
  const { steps, flow } = ctx.graph;
  // Only non-switch edges: a loop through a switch case is allowed. Out of `end` is already an
  // error of its own (end-has-transition).
  const succ = new Map<string, readonly string[]>();
  for (const s of flow.steps) {
    const t = s.transition;
    succ.set(s.name, t && t.kind !== 'switch' && s.name !== 'end' ? t.targets : []);
  }
  return backEdges(succ, steps.keys()).map((e) => {
    const step = steps.get(e.from)!;
    return diag(
      ctx,
      'cycle',
      'error',
      `${[...e.loop, e.to].join(' → ')} is a cycle; only a switch may point back to an earlier step`,
      step.transition?.targetRanges?.[e.index] ?? step.transition?.range ?? step.range,
      e.from,
    );
  });
};

export const unreachableSteps: Rule = (ctx) => {
  const { steps } = ctx.graph;
  if (!steps.has('start')) return [];
  // Follow every step a `this.next` names, even in a call that is invalid for another reason:
  // one broken transition should not mark everything after it unreachable.
  const named = new Map([...steps].map(([name, step]) => [name, step.nextCalls.flatMap((c) => c.refs.map((r) => r.name))]));
  const seen = reachableFrom(named, ['start']);
  return ctx.flow.steps
    .filter((s) => !seen.has(s.name))
    .map((s) => diag(ctx, 'unreachable-step', 'warning', `step '${s.name}' is not reachable from 'start'`, s.range, s.name));
};
