// A run's config values put where the flow used configExpr: its steps' decorator options and its
// parameters' defaults. Done once the run's configs are known (by the CLI before the scheduler or
// an engine reads the options, by each task for its own step).
import { ConfigKeyError, configExprPath, configValueAt, isConfigExpr, resolveConfigExprs } from '../flow/config';
import { UserError } from '../errors';
import type { StepMeta } from '../flow/stepMeta';
import type { FlowInfo } from './introspect';

/** A step's options with configExpr values replaced; a missing key is one line naming it. */
export function stepMetaWithConfigs(step: string, meta: StepMeta, configs: Record<string, unknown>): StepMeta {
  try {
    return resolveConfigExprs(meta, configs, `the decorators of step '${step}'`);
  } catch (e) {
    if (e instanceof ConfigKeyError) throw new UserError(e.message);
    throw e;
  }
}

/** Resolves every configExpr of the flow in place (steps' options, parameters' defaults). */
export function applyConfigs(info: FlowInfo, configs: Record<string, unknown>): void {
  for (const step of info.steps.values()) step.meta = stepMetaWithConfigs(step.name, step.meta, configs);
  info.parameters = info.parameters.map((p) => {
    if (!isConfigExpr(p.decl.default)) return p;
    try {
      return {
        ...p,
        decl: { ...p.decl, default: configValueAt(configExprPath(p.decl.default), configs, `the default of --${p.decl.name}`) },
      };
    } catch (e) {
      if (e instanceof ConfigKeyError) throw new UserError(e.message);
      throw e;
    }
  });
}
