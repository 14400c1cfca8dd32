// Split/join balance: not-a-join, join-needs-inputs, unjoined-branch, and Metaflow's
// "foreach straight into a join" (empty-foreach). Built on the split stacks of model/graph.ts.
import { Rule, RuleContext, diag, names } from './context';
import type { FlowDiagnostic } from '../../model/flowModel';
import { SplitFrame, stackKey } from '../../model/graph';

export const splitJoinBalance: Rule = (ctx) => {
  // A split already blamed once is not blamed again (for its end, for a step after it).
  const reportedSplits = new Set<string>();
  const arrivals = joinArrivals(ctx, reportedSplits);
  const meetings = branchMeetings(ctx, reportedSplits);
  return [...arrivals, ...meetings.diagnostics, ...unjoinedAtEnd(ctx, meetings.endStacks, reportedSplits)];
};

/** Each join by the branches that arrive at it: not-a-join, branches of different splits, branches that never arrive. */
function joinArrivals(ctx: RuleContext, reportedSplits: Set<string>): FlowDiagnostic[] {
  const { structure, steps, reachable } = ctx.graph;
  const out: FlowDiagnostic[] = [];
  // Joins that merge unrelated splits pop the wrong frame; do not blame the joins after them.
  const crossJoins = new Set<string>();
  for (const [j, arrivals] of structure.arrivals) {
    const tops = new Set(arrivals.map((a) => `${stackKey(a.stack.slice(0, -1))}|${a.stack[a.stack.length - 1]?.split}`));
    if (tops.size > 1) crossJoins.add(j);
  }
  for (const [j, arrivals] of structure.arrivals) {
    if (!reachable.has(j)) continue;
    const step = steps.get(j)!;
    const bare = arrivals.find((a) => a.stack.length === 0);
    if (bare && crossJoins.has(bare.from)) continue;
    if (bare) {
      out.push(
        diag(
          ctx,
          'not-a-join',
          'error',
          `step '${j}' takes inputs but is not reached from a split ('${bare.from}' leads into it directly); remove the parameter or add a split before it`,
          step.params[0]?.range ?? step.range,
          j,
        ),
      );
      continue;
    }
    const groups = new Map<string, SplitFrame>();
    for (const a of arrivals)
      groups.set(`${stackKey(a.stack.slice(0, -1))}|${a.stack[a.stack.length - 1].split}`, a.stack[a.stack.length - 1]);
    if (groups.size > 1) {
      const splits = [...new Set([...groups.values()].map((f) => f.split))];
      splits.forEach((s) => reportedSplits.add(s));
      out.push(
        diag(
          ctx,
          'unjoined-branch',
          'error',
          `join '${j}' merges branches of different splits (${names(splits)}); each split needs its own join`,
          step.range,
          j,
        ),
      );
      continue;
    }
    const top = [...groups.values()][0];
    const split = steps.get(top.split)!;
    const targets = split.transition?.targets ?? [];
    const expected = split.transition?.kind === 'branch' ? targets.length : 1;
    const covered = new Set(arrivals.map((a) => a.stack[a.stack.length - 1].branch));
    const missing: string[] = [];
    for (let b = 0; b < expected; b++) if (!covered.has(b) && !deadEnd(ctx, targets[b])) missing.push(targets[b]);
    if (missing.length) {
      reportedSplits.add(top.split);
      out.push(
        diag(
          ctx,
          'unjoined-branch',
          'error',
          `join '${j}' joins split '${top.split}', but its branch${missing.length > 1 ? 'es' : ''} ${names(missing)} never reach${missing.length > 1 ? '' : 'es'} it`,
          step.range,
          j,
        ),
      );
    }
  }
  return out;
}

/** A branch that stops at a step without a transition is being typed: do not pile up errors on it. */
function deadEnd(ctx: RuleContext, start: string): boolean {
  const { steps, succ } = ctx.graph;
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const s = steps.get(n);
    if (!s) return true;
    if (!s.transition && n !== 'end') return true;
    if (s.transition && s.transition.targets.some((t) => !steps.has(t))) return true;
    stack.push(...succ.get(n)!);
  }
  return false;
}

/**
 * Steps reached with two different split stacks: branches of one split meeting at a step without
 * inputs (join-needs-inputs), or a step reached from inside a split and from outside it. The
 * stacks that reach `end` are returned for `unjoinedAtEnd`.
 */
function branchMeetings(ctx: RuleContext, reportedSplits: Set<string>): { diagnostics: FlowDiagnostic[]; endStacks: SplitFrame[][] } {
  const { structure, steps, reachable } = ctx.graph;
  const out: FlowDiagnostic[] = [];
  const reportedSteps = new Set<string>();
  const endStacks: SplitFrame[][] = [];
  if (structure.inStack.has('end')) endStacks.push(structure.inStack.get('end')!);
  for (const c of structure.conflicts) {
    if (!reachable.has(c.step)) continue;
    if (c.step === 'end') {
      endStacks.push(c.other);
      continue;
    }
    let k = 0;
    while (k < c.first.length && k < c.other.length && c.first[k].split === c.other[k].split && c.first[k].branch === c.other[k].branch)
      k++;
    if (reportedSteps.has(c.step)) continue;
    reportedSteps.add(c.step);
    const step = steps.get(c.step)!;
    if (k < c.first.length && k < c.other.length && c.first[k].split === c.other[k].split) {
      reportedSplits.add(c.first[k].split);
      out.push(
        diag(
          ctx,
          'join-needs-inputs',
          'error',
          `branches of split '${c.first[k].split}' meet at step '${c.step}', so it is a join: give it an 'inputs: Inputs' parameter`,
          step.range,
          c.step,
        ),
      );
    } else {
      const inner = c.first.length > c.other.length ? c.first[c.first.length - 1] : c.other[c.other.length - 1];
      if (inner) reportedSplits.add(inner.split);
      out.push(
        diag(
          ctx,
          'unjoined-branch',
          'error',
          `step '${c.step}' is reached both from inside split '${inner?.split}' and from outside it ('${c.from}'); join the split first`,
          step.range,
          c.step,
        ),
      );
    }
  }
  return { diagnostics: out, endStacks };
}

/** Splits still open when `end` is reached (not blamed already): never joined. */
function unjoinedAtEnd(ctx: RuleContext, endStacks: SplitFrame[][], reportedSplits: Set<string>): FlowDiagnostic[] {
  const out: FlowDiagnostic[] = [];
  for (const stack of endStacks) {
    for (const f of stack) {
      if (reportedSplits.has(f.split)) continue;
      reportedSplits.add(f.split);
      const split = ctx.graph.steps.get(f.split)!;
      const what = split.transition?.kind === 'foreach' ? `foreach '${f.split}' is` : `the branches of split '${f.split}' are`;
      out.push(
        diag(
          ctx,
          'unjoined-branch',
          'error',
          `${what} never joined: add a join step (one taking 'inputs: Inputs') before 'end'`,
          split.transition?.range ?? split.range,
          f.split,
        ),
      );
    }
  }
  return out;
}

/** Metaflow's check: a foreach must have at least one step before its join. */
export const foreachIntoJoin: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  for (const s of ctx.flow.steps) {
    const t = s.transition;
    if (t?.kind !== 'foreach') continue;
    const target = ctx.graph.steps.get(t.targets[0]);
    if (target?.hasInputs) {
      out.push(
        diag(
          ctx,
          'empty-foreach',
          'error',
          `foreach '${s.name}' goes straight to join '${target.name}'; add a step between them that works on each item`,
          t.targetRanges?.[0] ?? t.range,
          s.name,
        ),
      );
    }
  }
  return out;
};
