// reserved-name, invalid-step-name: step names the runtime cannot use (model/identifiers.ts).
import { MAX_IDENTIFIER_LENGTH, stepNameProblem } from '../../model/identifiers';
import { RESERVED_NAMES } from '../../model/reserved';
import { Rule, diag } from './context';

export const reservedStepNames: Rule = (ctx) =>
  ctx.flow.steps
    .filter((s) => RESERVED_NAMES.has(s.name))
    .map((s) =>
      diag(ctx, 'reserved-name', 'error', `'${s.name}' is a FlowSpec member and cannot be a step name; rename the step`, s.range, s.name),
    );

export const invalidStepNames: Rule = (ctx) =>
  ctx.flow.steps.flatMap((s) => {
    const problem = RESERVED_NAMES.has(s.name) ? undefined : stepNameProblem(s.name);
    if (!problem) return [];
    const message =
      problem === 'private'
        ? `step '${s.name}' is private; the runtime can only call public methods`
        : problem === 'characters'
          ? `'${s.name}' is not a valid step name; use letters, digits and underscores`
          : `step '${s.name.slice(0, 40)}…' is ${s.name.length} characters long; the runtime takes at most ${MAX_IDENTIFIER_LENGTH} (a step's name is part of its tasks' file names)`;
    return [diag(ctx, 'invalid-step-name', 'error', message, s.range, s.name)];
  });
