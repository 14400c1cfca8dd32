// Artifacts after joins: ambiguous-artifact, unmerged-artifact, invalid-merge.
import { Rule, RuleContext, diag, names } from './context';
import type { ArtifactAccess, FlowDiagnostic, Range, StepModel } from '../../model/flowModel';
import type { ArtifactState } from '../dataflow';
import { mayDiffer, mergedNames } from '../dataflow';

/** Is `name` set in the step before `offset` (by an assignment or a merge)? */
export function setBefore(ctx: RuleContext, step: StepModel, name: string, offset: number): boolean {
  if (step.assignments.some((a) => a.name === name && a.offset < offset)) return true;
  const incoming = ctx.dataflow().joins.get(step.name);
  if (!incoming) return false;
  return step.merges.some((m) => m.offset < offset && (m.dynamic || mergedNames(step, m, [name]).length > 0));
}

/** The diagnostic for reading an artifact that a join dropped. */
export function lostRead(ctx: RuleContext, step: StepModel, name: string, st: ArtifactState, range: Range): FlowDiagnostic {
  const lost = st.lost!;
  const where = step.name === lost.join ? `join '${lost.join}'` : `'${step.name}' (after join '${lost.join}')`;
  const fix = `assign it in '${lost.join}' or call this.mergeArtifacts(inputs) there`;
  const sites = [...lost.sites];
  const data = { join: lost.join, artifact: name, sites };
  if (lost.kind === 'ambiguous') {
    const from =
      sites.length >= 2
        ? `assigned on several incoming branches (${names(sites)})`
        : `assigned in each task of the foreach (in ${names(sites)})`;
    return {
      ...diag(
        ctx,
        'ambiguous-artifact',
        'error',
        `'${name}' is not set in ${where}: it is ${from} and the join neither assigns nor merges it; ${fix}`,
        range,
        step.name,
      ),
      data,
    };
  }
  return {
    ...diag(
      ctx,
      'unmerged-artifact',
      'error',
      `'${name}' is not set in ${where}: a join starts with only the parameters, and '${lost.join}' neither assigns nor merges '${name}' (assigned in ${names(lost.sites)}); ${fix}`,
      range,
      step.name,
    ),
    data,
  };
}

export const artifactReads: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  const df = ctx.dataflow();
  for (const step of ctx.flow.steps) {
    const entry = df.entry.get(step.name);
    if (!entry || step.dynamic) continue;
    const reported = new Set<string>();
    for (const r of step.readAccesses) {
      if (r.guarded || r.via || reported.has(r.name)) continue;
      const st = entry.artifacts.get(r.name);
      if (!st || st.sites.size > 0 || !st.lost) continue;
      if (setBefore(ctx, step, r.name, r.offset)) continue;
      reported.add(r.name);
      out.push(lostRead(ctx, step, r.name, st, r.range));
    }
  }
  return out;
};

function literalsAt(step: StepModel | undefined, name: string): string[] | undefined {
  if (!step) return undefined;
  const as = step.assignments.filter((a) => a.name === name);
  if (as.length === 0 || as.some((a: ArtifactAccess) => a.literal === undefined)) return undefined;
  return [...new Set(as.map((a) => a.literal!))];
}

export const mergeConflicts: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  const df = ctx.dataflow();
  for (const step of ctx.flow.steps) {
    if (step.merges.length === 0) continue;
    if (!step.hasInputs) {
      for (const m of step.merges) {
        out.push(
          diag(
            ctx,
            'invalid-merge',
            'error',
            `this.mergeArtifacts only works in a join; '${step.name}' takes no inputs`,
            m.range,
            step.name,
          ),
        );
      }
      continue;
    }
    const incoming = df.joins.get(step.name);
    if (!incoming) continue;
    for (const m of step.merges) {
      if (m.include && m.exclude) {
        out.push(diag(ctx, 'invalid-merge', 'error', 'mergeArtifacts takes include or exclude, not both', m.range, step.name));
        continue;
      }
      if (m.include && !incoming.dynamic) {
        const missing = m.include.filter((n) => !incoming.artifacts.has(n));
        if (missing.length) {
          out.push(
            diag(
              ctx,
              'invalid-merge',
              'error',
              `mergeArtifacts includes ${names(missing)}, which no incoming branch assigns`,
              m.range,
              step.name,
            ),
          );
        }
      }
      if (m.dynamic) continue;
      for (const name of mergedNames(step, m, incoming.artifacts.keys())) {
        const inc = incoming.artifacts.get(name)!;
        if (!inc.ambiguous) continue; // one value per run: nothing to disagree on
        const values: Array<{ site: string; value: string }> = [];
        let known = true;
        for (const site of inc.sites) {
          const lits = literalsAt(ctx.graph.steps.get(site), name);
          if (!lits) {
            known = false;
            break;
          }
          for (const value of lits) values.push({ site, value });
        }
        const clash = known && values.find((a) => values.some((b) => a.value !== b.value && mayDiffer(incoming, a.site, b.site)));
        const other = clash && values.find((b) => clash.value !== b.value && mayDiffer(incoming, clash.site, b.site));
        if (clash && other) {
          const shown = `${clash.site}: ${clash.value}, ${other.site}: ${other.value}`;
          out.push({
            ...diag(
              ctx,
              'ambiguous-artifact',
              'error',
              `mergeArtifacts would merge '${name}', but the branches assign it different values (${shown}); assign '${name}' in '${step.name}' before merging, or exclude it`,
              m.range,
              step.name,
            ),
            data: { join: step.name, artifact: name, sites: [...inc.sites] },
          });
        }
      }
    }
  }
  return out;
};
