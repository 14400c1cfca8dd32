// unknown-step: `this.next` names something that is not a step.
import { Rule, diag } from './context';
import type { FlowDiagnostic } from '../../model/flowModel';
import { didYouMean } from '../suggest';

export const unknownSteps: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  const stepNames = [...ctx.graph.steps.keys()];
  for (const s of ctx.flow.steps) {
    for (const c of s.nextCalls) {
      for (const ref of c.refs) {
        if (ctx.graph.steps.has(ref.name)) continue;
        out.push(
          ctx.flow.members[ref.name] === 'method'
            ? diag(ctx, 'unknown-step', 'error', `'${ref.name}' is a method but not a step; decorate it with @step`, ref.range, s.name)
            : didYouMean(ref.name, stepNames, (hint) =>
                diag(ctx, 'unknown-step', 'error', `'${ref.name}' is not a step of ${ctx.flow.name}${hint}`, ref.range, s.name),
              ),
        );
      }
    }
    // inputs.<step>.x in a join must name a step that leads into it.
    if (s.hasInputs) {
      const preds = ctx.graph.preds.get(s.name) ?? [];
      for (const r of s.inputReads) {
        if (!r.branch || !r.branchRange || preds.includes(r.branch) || !ctx.graph.steps.has(r.branch)) continue;
        out.push(
          diag(
            ctx,
            'unknown-step',
            'error',
            `inputs.${r.branch}: step '${r.branch}' does not lead into join '${s.name}' (its inputs come from ${preds.join(', ') || 'no step'})`,
            r.branchRange,
            s.name,
          ),
        );
      }
    }
  }
  return out;
};
