// What a run asks of each task's surroundings: environment variables (params-file `toEnv`, then
// the step's @environment, which wins) and a fresh working folder holding copies of the `toInit` paths. Undone after the task, since a warm
// worker runs many tasks one after another.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { UserError } from '../errors';
import type { RunRecord } from '../datastore/records';

/** A copy's place in the working folder; a target that would land outside it is refused. */
function within(workdir: string, target: string): string {
  const dest = resolve(workdir, target);
  if (!dest.startsWith(workdir + sep)) throw new UserError(`toInit target '${target}' is outside the task's working folder`);
  return dest;
}

export function enterTaskEnvironment(run: RunRecord, stepVars: Record<string, string>, label: string): () => void {
  const savedEnv = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries({ ...run.env, ...stepVars })) {
    if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  }
  let workdir: string | undefined;
  const savedCwd = process.cwd();
  if (run.init?.length) {
    workdir = mkdtempSync(join(tmpdir(), `flowspec-${label.replace(/[^\w.-]/g, '_')}-`));
    for (const init of run.init) {
      for (const f of init.files) cpSync(f.source, within(workdir, f.target));
      for (const d of init.dirs) cpSync(d.source, within(workdir, d.target), { recursive: true });
    }
    process.chdir(workdir);
  }
  return () => {
    for (const [name, value] of savedEnv) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (workdir) {
      process.chdir(savedCwd);
      rmSync(workdir, { recursive: true, force: true });
    }
  };
}
