// reserved-name, invalid-step-name: step names the runtime cannot use.
import { RESERVED_NAMES } from '../../model/reserved';
import { Rule, diag } from './context';

const VALID_STEP_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export const reservedStepNames: Rule = (ctx) =>
  ctx.flow.steps
    .filter((s) => RESERVED_NAMES.has(s.name))
    .map((s) =>
      diag(ctx, 'reserved-name', 'error', `'${s.name}' is a FlowSpec member and cannot be a step name; rename the step`, s.range, s.name),
    );

export const invalidStepNames: Rule = (ctx) =>
  ctx.flow.steps
    .filter((s) => !VALID_STEP_NAME.test(s.name) && !RESERVED_NAMES.has(s.name))
    .map((s) =>
      diag(
        ctx,
        'invalid-step-name',
        'error',
        s.name.startsWith('#')
          ? `step '${s.name}' is private; the runtime can only call public methods`
          : `'${s.name}' is not a valid step name; use letters, digits and underscores`,
        s.range,
        s.name,
      ),
    );
