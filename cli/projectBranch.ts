// `--branch B` / `--production` of run, init-run and argo create: a @project flow's branch. A flow
// without @project may have parameters of those names: then the options are its parameters.
import { BranchChoice, ProjectRecord, resolveProject } from '../runtime/flow/project';
import type { FlowInfo } from '../runtime/flowcode/introspect';
import { currentUser } from '../runtime/identity';
import { UserError } from '../runtime/errors';
import type { OptionSpecs } from './command';
import type { Parsed } from './args';

type Extras = Parsed['extras'];

/** The two options, for a command's table. */
export const BRANCH_OPTIONS = {
  branch: { type: 'string', value: 'B', help: "a @project flow's branch test.B (default: user.NAME, yours)" },
  production: { type: 'boolean', help: "a @project flow's production branch prod (prod.B with --branch B)" },
} as const satisfies OptionSpecs;

/** The run's project (undefined without @project) and the options left for the parameters. */
export function takeProject(info: FlowInfo, asked: BranchChoice, extras: Extras = []): { project?: ProjectRecord; extras: Extras } {
  const declared = new Set(info.parameters.map((p) => p.decl.name));
  const given = (['branch', 'production'] as const).filter((name) => asked[name] !== undefined && asked[name] !== false);
  if (!info.project) {
    const stray = given.find((name) => !declared.has(name));
    if (stray) throw new UserError(`--${stray} applies to a flow with @project({ name }); ${info.name} has none`);
    return { extras: [...given.map((name) => ({ name, value: asked[name] as string | true })), ...extras] };
  }
  const clash = given.find((name) => declared.has(name));
  if (clash)
    throw new UserError(
      `${info.name} has @project and a parameter named '${clash}', which --${clash} cannot both mean: rename the parameter`,
    );
  return { project: resolveProject(info.name, info.project, asked, currentUser()), extras };
}
