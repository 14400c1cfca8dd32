// Projects of a user, outside the repo: the package is packed once per test run (`npm pack`), and
// installed once, from the registry (npm's cache makes later runs offline), into a shared folder
// together with TypeScript, @types/node and the native packages the tests import. Each project is
// a temp folder with its own package.json and tsconfig.json whose node_modules links to the
// entries of that shared installation, so a project costs no install of its own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO } from '../../support/cli';

export const WORK = mkdtempSync(join(tmpdir(), 'flowspec-projects-'));
const SHARED = join(WORK, 'shared');
/** One check cache for every project of the run, as a user's one cache serves all their projects. */
const CACHE = join(WORK, 'cache');

export const NATIVE_PACKAGES = { '@node-rs/xxhash': '1.7.8', '@duckdb/node-api': '1.5.6-r.1' };
const BASE_PACKAGES = ['typescript@5.9', '@types/node@20'];

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Result {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: '', FLOWSPEC_CACHE_DIR: CACHE, ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

let packed: string | undefined;
/** `npm pack` of the repo (built by the test command), once per run. */
export function tarball(): string {
  if (!packed) {
    const r = sh('npm', ['pack', '--silent', '--pack-destination', WORK], REPO);
    if (r.code !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
    packed = join(WORK, r.stdout.trim().split('\n').pop()!);
  }
  return packed;
}

export interface Shared {
  modules: string;
  native: boolean;
  why?: string;
}
let shared: Shared | undefined;

/**
 * The shared installation: the tarball, TypeScript and @types/node, and the native packages when
 * the registry (or npm's cache) has them; without them the native tests skip, saying why.
 */
export function sharedModules(): Shared {
  if (shared) return shared;
  mkdirSync(SHARED, { recursive: true });
  writeFileSync(join(SHARED, 'package.json'), JSON.stringify({ name: 'shared-modules', private: true }));
  const install = (pkgs: string[]) =>
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...pkgs], SHARED);
  const natives = Object.entries(NATIVE_PACKAGES).map(([n, v]) => `${n}@${v}`);
  let r = install([tarball(), ...BASE_PACKAGES, ...natives]);
  let why: string | undefined;
  if (r.code !== 0) {
    why = `the native packages could not be installed (registry unreachable?): ${r.stderr.trim().split('\n').pop()}`;
    r = install([tarball(), ...BASE_PACKAGES]);
    if (r.code !== 0) throw new Error(`npm install of the tarball failed: ${r.stderr}`);
  }
  shared = { modules: join(SHARED, 'node_modules'), native: !why, why };
  return shared;
}

/**
 * A project folder with these files; its node_modules links every entry of the shared
 * installation except `leaveOut`, plus `links` (name → folder: workspace packages, fakes).
 */
export function makeProject(
  name: string,
  files: Record<string, string>,
  options: { leaveOut?: string[]; links?: Record<string, string> } = {},
): string {
  const dir = join(WORK, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  linkModules(dir, options.leaveOut ?? [], options.links ?? {});
  return dir;
}

export function linkModules(dir: string, leaveOut: string[], links: Record<string, string>): void {
  const { modules } = sharedModules();
  const target = join(dir, 'node_modules');
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('@') && entry !== '@types') {
      for (const sub of readdirSync(join(modules, entry))) link(join(modules, entry, sub), join(target, entry, sub), `${entry}/${sub}`);
    } else link(join(modules, entry), join(target, entry), entry);
  }
  for (const [name, folder] of Object.entries(links)) link(folder, join(target, name), name);

  function link(from: string, to: string, name: string): void {
    if (leaveOut.includes(name) || existsSync(to)) return;
    mkdirSync(dirname(to), { recursive: true });
    symlinkSync(from, to);
  }
}

/** `npx flowspec ARGS` in a project, as a user runs it. */
export function flowspec(project: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = project): Result {
  return sh('npx', ['--no-install', 'flowspec', ...args], cwd, env);
}

/** `tsc --noEmit -p` the project with the installed TypeScript. */
export function typecheck(project: string): Result {
  return sh(process.execPath, [join(sharedModules().modules, 'typescript/bin/tsc'), '--noEmit', '-p', project], project);
}

/** Runs a script of the project with node (its client API reads). */
export function node(project: string, script: string, env: NodeJS.ProcessEnv = {}): Result {
  return sh(process.execPath, [script], project, env);
}
