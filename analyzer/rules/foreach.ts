// bad-foreach-target and the statically empty foreach; bad-switch-condition.
import { Rule, RuleContext, diag } from './context';
import { typeNoun } from '../../model/parameters';
import type { ArtifactAccess, FlowDiagnostic, StepModel } from '../../model/flowModel';
import { lostRead } from './artifacts';
import { didYouMean } from '../suggest';

type Lookup =
  | { kind: 'ok' }
  | { kind: 'diagnostic'; diagnostic: FlowDiagnostic }
  | { kind: 'missing' }
  | { kind: 'assigned'; assignments: ArtifactAccess[] };

/** Where the artifact a transition names comes from, as seen at the end of `step`. */
function lookup(ctx: RuleContext, step: StepModel, name: string, range: FlowDiagnostic['range']): Lookup {
  const own = step.assignments.filter((a) => a.name === name);
  if (own.length) return { kind: 'assigned', assignments: own };
  const df = ctx.dataflow();
  const entry = df.entry.get(step.name);
  if (!entry) return { kind: 'ok' };
  const incoming = df.joins.get(step.name);
  if (
    incoming &&
    step.merges.some((m) => m.dynamic || ((!m.include || m.include.includes(name)) && !(m.exclude ?? []).includes(name))) &&
    incoming.artifacts.has(name)
  ) {
    return {
      kind: 'assigned',
      assignments: [...incoming.artifacts.get(name)!.sites].flatMap(
        (s) => ctx.graph.steps.get(s)?.assignments.filter((a) => a.name === name) ?? [],
      ),
    };
  }
  if (incoming && step.merges.some((m) => m.dynamic)) return { kind: 'ok' };
  const st = entry.artifacts.get(name);
  if (st && st.sites.size === 0 && st.lost) return { kind: 'diagnostic', diagnostic: lostRead(ctx, step, name, st, range) };
  if (!st || st.sites.size === 0) return entry.dynamic || step.dynamic ? { kind: 'ok' } : { kind: 'missing' };
  return {
    kind: 'assigned',
    assignments: [...st.sites].flatMap((s) => ctx.graph.steps.get(s)?.assignments.filter((a) => a.name === name) ?? []),
  };
}

function knownArtifacts(ctx: RuleContext, step: StepModel): string[] {
  const entry = ctx.dataflow().entry.get(step.name);
  return [...(entry?.artifacts.entries() ?? [])]
    .filter(([, st]) => st.sites.size > 0)
    .map(([n]) => n)
    .concat(step.assigns);
}

export const foreachTargets: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  for (const step of ctx.flow.steps) {
    const t = step.transition;
    if (t?.kind !== 'foreach' || !t.foreach || !t.foreachRange) continue;
    const name = t.foreach;
    const range = t.foreachRange;
    const param = ctx.flow.parameters.find((p) => p.field === name);
    if (param) {
      if (param.type === 'number' || param.type === 'int' || param.type === 'boolean') {
        out.push(
          diag(
            ctx,
            'bad-foreach-target',
            'error',
            `foreach over '${name}', ${typeNoun(param.type)} parameter, which is not iterable`,
            range,
            step.name,
          ),
        );
      }
      continue;
    }
    const member = ctx.flow.members[name];
    if (member === 'constant') continue;
    if (member === 'method') {
      out.push(
        diag(
          ctx,
          'bad-foreach-target',
          'error',
          `foreach names '${name}', a method; it must name an artifact holding a list`,
          range,
          step.name,
        ),
      );
      continue;
    }
    const found = lookup(ctx, step, name, range);
    if (found.kind === 'ok') continue;
    if (found.kind === 'diagnostic') {
      out.push(found.diagnostic);
      continue;
    }
    if (found.kind === 'missing') {
      out.push(
        didYouMean(name, knownArtifacts(ctx, step), (hint) =>
          diag(
            ctx,
            'bad-foreach-target',
            'error',
            `foreach over '${name}', which is never assigned on the path to '${step.name}'${hint}`,
            range,
            step.name,
          ),
        ),
      );
      continue;
    }
    const shapes = found.assignments.map((a) =>
      a.shape === 'unknown' && !a.via ? (ctx.isIterable?.(a) === false ? 'not-iterable' : a.shape) : (a.shape ?? 'unknown'),
    );
    if (shapes.length && shapes.every((s) => s === 'empty')) {
      out.push(
        diag(
          ctx,
          'empty-foreach',
          'warning',
          `foreach over '${name}', which is always an empty list here: the foreach has no tasks`,
          range,
          step.name,
        ),
      );
    } else if (shapes.length && shapes.every((s) => s === 'not-iterable' || s === 'empty') && shapes.includes('not-iterable')) {
      out.push(
        diag(
          ctx,
          'bad-foreach-target',
          'error',
          `foreach over '${name}', which is not iterable (assigned on line ${found.assignments[shapes.indexOf('not-iterable')].range.start.line + 1})`,
          range,
          step.name,
        ),
      );
    }
  }
  return out;
};

export const switchConditions: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  for (const step of ctx.flow.steps) {
    const t = step.transition;
    if (t?.kind !== 'switch' || !t.condition || !t.conditionRange || !t.cases) continue;
    const name = t.condition;
    if (ctx.flow.parameters.some((p) => p.field === name) || ctx.flow.members[name] === 'constant') continue;
    const range = t.conditionRange;
    const found = lookup(ctx, step, name, range);
    if (found.kind === 'diagnostic') {
      out.push(found.diagnostic);
      continue;
    }
    if (found.kind === 'missing') {
      out.push(
        didYouMean(name, knownArtifacts(ctx, step), (hint) =>
          diag(
            ctx,
            'bad-switch-condition',
            'error',
            `switch on '${name}', which is never assigned on the path to '${step.name}'${hint}`,
            range,
            step.name,
          ),
        ),
      );
      continue;
    }
    if (found.kind !== 'assigned' || found.assignments.length === 0 || found.assignments.some((a) => a.literal === undefined)) continue;
    const keys = new Set(Object.keys(t.cases));
    const values = found.assignments.map((a) => JSON.parse(a.literal!));
    if (values.every((v) => (typeof v === 'object' && v !== null) || !keys.has(String(v)))) {
      out.push(
        diag(
          ctx,
          'bad-switch-condition',
          'error',
          `'${name}' is ${values.map((v) => JSON.stringify(v)).join(' or ')} here, which matches no case of the switch (${[...keys].join(', ')})`,
          t.conditionRange,
          step.name,
        ),
      );
    }
  }
  return out;
};
