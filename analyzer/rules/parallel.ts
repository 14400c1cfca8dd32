// Metaflow's three @parallel lint rules. A `this.next(this.train, { numParallel: N })` split
// starts N gang-scheduled tasks of a @parallel step, which a join closes:
// parallel-without-decorator: the numParallel target has no @parallel decorator;
// parallel-without-join: the step after a @parallel step is not a join;
// parallel-without-num-parallel: a @parallel step is reached without numParallel.
import { Rule, diag } from './context';
import type { FlowDiagnostic, StepModel } from '../../model/flowModel';

const isParallel = (s: StepModel | undefined) => !!s?.decorators.includes('parallel');

export const parallelSteps: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  for (const s of ctx.flow.steps) {
    const t = s.transition;
    if (!t) continue;
    if (t.numParallel !== undefined) {
      const target = ctx.graph.steps.get(t.targets[0]);
      if (target && !isParallel(target)) {
        out.push(
          diag(
            ctx,
            'parallel-without-decorator',
            'error',
            `step '${target.name}' is started with numParallel but has no @parallel decorator; add @parallel above @step`,
            t.targetRanges?.[0] ?? t.range,
            s.name,
          ),
        );
      }
    } else {
      for (const [i, name] of t.targets.entries()) {
        if (!isParallel(ctx.graph.steps.get(name))) continue;
        out.push(
          diag(
            ctx,
            'parallel-without-num-parallel',
            'error',
            `step '${name}' is @parallel but '${s.name}' does not start it with numParallel; write this.next(this.${name}, { numParallel: N })`,
            t.targetRanges?.[i] ?? t.range,
            s.name,
          ),
        );
      }
    }
    if (isParallel(s) && t.targets.some((name) => ctx.graph.steps.has(name) && !ctx.graph.steps.get(name)!.hasInputs)) {
      const after = t.targets.find((name) => !ctx.graph.steps.get(name)?.hasInputs)!;
      out.push(
        diag(
          ctx,
          'parallel-without-join',
          'error',
          `a @parallel step is followed by a join: '${after}' comes after '${s.name}' but takes no inputs; give it an 'inputs: Inputs' parameter`,
          t.targetRanges?.[t.targets.indexOf(after)] ?? t.range,
          s.name,
        ),
      );
    }
  }
  return out;
};
