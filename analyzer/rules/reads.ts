// Reads of artifacts that no path to the step assigns (unknown-artifact) or that only some paths
// assign (artifact-maybe-unset). Reads a join lost are ambiguous/unmerged-artifact's (artifacts.ts).
import { Rule, RuleContext, diag, names } from './context';
import type { ArtifactAccess, FlowDiagnostic, StepModel } from '../../model/flowModel';
import type { StepState } from '../dataflow';
import { didYouMean } from '../suggest';

export const artifactPresence: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  // A @catchError whose `var` the analyzer cannot read sets an artifact it cannot name.
  const unnamedCatch = ctx.flow.steps.some(
    (s) => s.decorators.includes('catchError') && !s.assignments.some((a) => a.offset === -1 && !a.via),
  );
  const df = ctx.dataflow();
  for (const step of ctx.flow.steps) {
    const entry = df.entry.get(step.name);
    // `Object.assign(this, ...)` here or on the way: absence proves nothing.
    if (!entry || entry.dynamic || step.dynamic) continue;
    const ownNames = new Set(step.assignments.map((a) => a.name));
    const reported = new Set<string>();
    for (const r of step.readAccesses) {
      // A read the step may precede by its own assignment (in a loop, a callback) is the step's business.
      if (r.guarded || r.via || reported.has(r.name) || ownNames.has(r.name) || ctx.flow.members[r.name]) continue;
      const st = entry.artifacts.get(r.name);
      if (st?.lost) continue;
      if (!st || st.sites.size === 0) {
        if (unnamedCatch) continue;
        reported.add(r.name);
        out.push(unknownRead(ctx, step, r, entry));
      } else if (st.maybe) {
        reported.add(r.name);
        out.push(
          diag(
            ctx,
            'artifact-maybe-unset',
            'warning',
            `'${r.name}' may be unset in '${step.name}': only some paths to it assign it (in ${names(st.sites)}); set it on every path, or guard the read ('${r.name}' in this)`,
            r.range,
            step.name,
          ),
        );
      }
    }
  }
  return out;
};

function unknownRead(ctx: RuleContext, step: StepModel, r: ArtifactAccess, entry: StepState): FlowDiagnostic {
  const reaching = [...entry.artifacts].filter(([, st]) => st.sites.size > 0).map(([n]) => n);
  const known = [...reaching, ...ctx.flow.parameters.map((p) => p.field), ...Object.keys(ctx.flow.members)];
  const elsewhere = ctx.flow.steps.filter((s) => s.assigns.includes(r.name)).map((s) => s.name);
  const why = elsewhere.length
    ? `it is assigned only in ${names(elsewhere)}, which no path to '${step.name}' runs first`
    : 'no step assigns it, and it is not a parameter or a member of the flow';
  return didYouMean(r.name, known, (hint) =>
    diag(ctx, 'unknown-artifact', 'error', `'${r.name}' is not set in '${step.name}': ${why}${hint}`, r.range, step.name),
  );
}
