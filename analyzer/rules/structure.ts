// Start/end rules and the shape of each step's `this.next` calls:
// missing-start, missing-end, end-has-transition, missing-transition, invalid-transition (and
// invalid-switch, a switch with fewer than two cases, as Metaflow's lint), join-arity.
import { Rule, diag } from './context';
import type { DiagnosticCode } from './codes';
import type { FlowDiagnostic, TransitionModel } from '../../model/flowModel';

export const startAndEnd: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  if (!ctx.graph.steps.has('start')) {
    out.push(diag(ctx, 'missing-start', 'error', `flow '${ctx.flow.name}' has no 'start' step`, ctx.flow.range));
  }
  if (!ctx.graph.steps.has('end')) {
    out.push(diag(ctx, 'missing-end', 'error', `flow '${ctx.flow.name}' has no 'end' step`, ctx.flow.range));
  }
  return out;
};

export const endHasTransition: Rule = (ctx) => {
  const end = ctx.graph.steps.get('end');
  if (!end) return [];
  return end.nextCalls.map((c) =>
    diag(ctx, 'end-has-transition', 'error', "the 'end' step is the last step: it must not call this.next", c.range, 'end'),
  );
};

export const missingTransition: Rule = (ctx) =>
  ctx.flow.steps
    .filter((s) => s.name !== 'end' && s.controlFlow.pathWithoutNext)
    .map((s) =>
      diag(
        ctx,
        'missing-transition',
        'error',
        s.nextCalls.length === 0
          ? `step '${s.name}' does not call this.next; end it with this.next(this.<step>)`
          : `step '${s.name}' has a path that ends without calling this.next`,
        s.range,
        s.name,
      ),
    );

function signature(t: TransitionModel): string {
  return JSON.stringify([t.kind, t.targets, t.foreach ?? null, t.condition ?? null, t.cases ?? null]);
}

export const invalidTransition: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  for (const s of ctx.flow.steps) {
    if (s.name === 'end') continue;
    for (const c of s.nextCalls) {
      if (c.problem)
        out.push(
          diag(
            ctx,
            (c.problem.code as DiagnosticCode | undefined) ?? 'invalid-transition',
            'error',
            c.problem.message,
            c.problem.range,
            s.name,
          ),
        );
    }
    for (const r of s.controlFlow.nextTwice) {
      out.push(diag(ctx, 'invalid-transition', 'error', `step '${s.name}' may call this.next more than once on one path`, r, s.name));
    }
    if (s.controlFlow.afterNext.length) {
      out.push(
        diag(
          ctx,
          'invalid-transition',
          'error',
          'this.next must be the last thing a step does; this code runs after it',
          s.controlFlow.afterNext[0],
          s.name,
        ),
      );
    }
    const valid = s.nextCalls.filter((c) => c.transition);
    const first = valid[0]?.transition;
    for (const c of valid.slice(1)) {
      if (signature(c.transition!) !== signature(first!)) {
        out.push(
          diag(
            ctx,
            'invalid-transition',
            'error',
            `all paths of step '${s.name}' must name the same transition (the first this.next names ${first!.targets.join(', ')})`,
            c.range,
            s.name,
          ),
        );
      }
    }
  }
  return out;
};

export const joinArity: Rule = (ctx) =>
  ctx.flow.steps
    .filter((s) => s.params.length > 1)
    .map((s) =>
      diag(
        ctx,
        'join-arity',
        'error',
        `step '${s.name}' takes ${s.params.length} parameters; a join takes only 'inputs', other steps none`,
        s.params[1].range,
        s.name,
      ),
    );
