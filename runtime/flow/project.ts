// Metaflow's `@project({ name })`: flows of one project share a namespace per branch. A run's
// branch is `user.NAME` by default, `test.B` with `--branch B`, `prod` with `--production`
// (`prod.B` with both); `current.projectName`, `branchName`, `projectFlowName` tell a step.
import { UserError } from '../errors';

export interface ProjectOptions {
  /** Lowercase letters, digits and underscores (Metaflow's rule; other systems see these names). */
  name: string;
  /** A branch fixed in the code; `--branch` on the command line may not then differ. */
  branch?: string;
  /** Fixes the production branch in the code, as `--production`. */
  production?: boolean;
}

/** What a run of a project flow records (run.json `project`) and `current` exposes. */
export interface ProjectRecord {
  name: string;
  branch: string;
  /** `<project>.<branch>.<Flow>`: names the flow's deployment on a scheduler. */
  flowName: string;
  isUserBranch: boolean;
  isProduction: boolean;
}

const VALID_NAME = /^[a-z0-9_]+$/;
const MAX_NAME = 128;
const PROJECT = Symbol.for('flowspec.project');

function checkName(what: string, name: unknown): string {
  if (typeof name !== 'string' || !VALID_NAME.test(name))
    throw new UserError(
      `${what} ${typeof name === 'string' ? `'${name}' ` : ''}may contain only lowercase letters, digits and underscores (e.g. ${suggestion(name)})`,
    );
  if (name.length > MAX_NAME) throw new UserError(`${what} is longer than ${MAX_NAME} characters`);
  return name;
}

function suggestion(name: unknown): string {
  const s = String(name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s || 'my_project';
}

/** Class decorator: `@project({ name: 'fraud' }) export class TrainFlow extends FlowSpec { ... }`. */
export function project(options: ProjectOptions) {
  checkName('the @project name', options?.name);
  if (options.branch !== undefined) checkName('the @project branch', options.branch);
  const recorded: ProjectOptions = { ...options };
  return <C extends abstract new (...args: any[]) => object>(cls: C, context: ClassDecoratorContext<C>): C => {
    if (context.kind !== 'class') throw new Error('@project applies to flow classes only');
    Object.defineProperty(cls, PROJECT, { value: recorded, enumerable: false });
    return cls;
  };
}

export function projectOf(cls: unknown): ProjectOptions | undefined {
  return typeof cls === 'function' ? (cls as unknown as Record<symbol, ProjectOptions | undefined>)[PROJECT] : undefined;
}

/** What `--branch B` / `--production` asked for on the command line. */
export interface BranchChoice {
  branch?: string;
  production?: boolean;
}

/** A run's project and branch, as Metaflow's format_name: refuses bad names and a branch given twice. */
export function resolveProject(flow: string, options: ProjectOptions, asked: BranchChoice, user: string): ProjectRecord {
  for (const key of ['branch', 'production'] as const) {
    if (options[key] !== undefined && asked[key] !== undefined && asked[key] !== options[key])
      throw new UserError(`--${key} differs from the ${key} fixed by @project on ${flow}: give it in one place`);
  }
  const given = options.branch ?? asked.branch;
  const production = options.production ?? asked.production ?? false;
  if (given !== undefined) checkName(`--branch`, given);
  const branch = given ? `${production ? 'prod' : 'test'}.${given}` : production ? 'prod' : `user.${user}`;
  return {
    name: options.name,
    branch,
    flowName: `${options.name}.${branch}.${flow}`,
    isUserBranch: !given && !production,
    isProduction: production,
  };
}

/** The system tags of a project run, as Metaflow's: `project:NAME`, `project_branch:BRANCH`. */
export function projectTags(p: ProjectRecord): string[] {
  return [`project:${p.name}`, `project_branch:${p.branch}`];
}
