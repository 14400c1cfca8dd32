// cycle (any loop not closed by a switch) and unreachable-step.
import { Rule, diag } from './context';
import type { FlowDiagnostic } from '../../model/flowModel';

export const cycles: Rule = (ctx) => {
  const { steps, flow } = ctx.graph;
  // Only non-switch edges: a loop through a switch case is allowed.
  const succ = new Map<string, Array<{ to: string; index: number }>>();
  for (const s of flow.steps) {
    const t = s.transition;
    // Out of `end` is already an error of its own (end-has-transition).
    succ.set(
      s.name,
      t && t.kind !== 'switch' && s.name !== 'end' ? t.targets.map((to, index) => ({ to, index })).filter((e) => steps.has(e.to)) : [],
    );
  }
  const out: FlowDiagnostic[] = [];
  const state = new Map<string, 1 | 2>();
  for (const root of steps.keys()) {
    if (state.has(root)) continue;
    const stack: Array<{ n: string; i: number }> = [{ n: root, i: 0 }];
    const path = [root];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const edges = succ.get(top.n) ?? [];
      if (top.i < edges.length) {
        const e = edges[top.i++];
        const st = state.get(e.to);
        if (st === 1) {
          const loop = path.slice(path.indexOf(e.to));
          const step = steps.get(top.n)!;
          out.push(
            diag(
              ctx,
              'cycle',
              'error',
              `${[...loop, e.to].join(' → ')} is a cycle; only a switch may point back to an earlier step`,
              step.transition?.targetRanges?.[e.index] ?? step.transition?.range ?? step.range,
              top.n,
            ),
          );
        } else if (!st) {
          state.set(e.to, 1);
          stack.push({ n: e.to, i: 0 });
          path.push(e.to);
        }
      } else {
        state.set(top.n, 2);
        stack.pop();
        path.pop();
      }
    }
  }
  return out;
};

export const unreachableSteps: Rule = (ctx) => {
  const { steps } = ctx.graph;
  if (!steps.has('start')) return [];
  // Follow every step a `this.next` names, even in a call that is invalid for another reason:
  // one broken transition should not mark everything after it unreachable.
  const seen = new Set<string>();
  const stack = ['start'];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n) || !steps.has(n)) continue;
    seen.add(n);
    for (const c of steps.get(n)!.nextCalls) for (const r of c.refs) stack.push(r.name);
  }
  return ctx.flow.steps
    .filter((s) => !seen.has(s.name))
    .map((s) => diag(ctx, 'unreachable-step', 'warning', `step '${s.name}' is not reachable from 'start'`, s.range, s.name));
};
