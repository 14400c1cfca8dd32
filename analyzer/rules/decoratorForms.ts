// decorator-form: a step decorator written in a form that cannot work. Decorators whose options
// are all optional work bare and called (`@retry`, `@retry({ times: 2 })`); `@step` takes no
// options, `@timeout` needs a duration (as Metaflow's "Specify a duration for @timeout") and
// `@environment` its variables.
import { Rule, diag } from './context';
import type { DecoratorUse, FlowDiagnostic } from '../../model/flowModel';

/** What is wrong with a form of a decorator that cannot work, and how to write it instead. */
const PROBLEMS: Record<string, (use: DecoratorUse) => string | undefined> = {
  step: (use) => (use.called ? '@step takes no options: write @step, without parentheses' : undefined),
  timeout: (use) => (use.args === 0 ? '@timeout needs a duration: write @timeout({ seconds: N }) (or minutes, hours)' : undefined),
  environment: (use) => (use.args === 0 ? '@environment needs its variables: write @environment({ vars: { NAME: value } })' : undefined),
};

export const decoratorForms: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  for (const s of ctx.flow.steps) {
    for (const use of s.decoratorUses) {
      const problem = PROBLEMS[use.name]?.(use);
      if (problem) out.push(diag(ctx, 'decorator-form', 'error', problem, use.range, s.name));
    }
  }
  return out;
};
