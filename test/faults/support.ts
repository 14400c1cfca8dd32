// Helpers of the fault suite: a flow project in a temp folder outside the repo (its own
// package.json), the CLI run synchronously or in the background, and checks of what users see.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliResult, runCli } from '../support/cli';

export { cliAsync, freshRoot, runCli } from '../support/cli';

/** A project folder with package.json and the given files; returns its path. */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-faults-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'faults-project', private: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export function cli(args: string[], root: string, cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  return runCli(args, root, env, cwd);
}

/** What a user must see for bad input: one `flowspec:` line on stderr, no stack trace. */
export function assertOneLine(r: CliResult, code: number, message?: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^flowspec: /);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
  if (message) assert.match(lines[0], message);
}

/** Whether a process is alive (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8') as string;
    return stat.split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}

/** A linear flow: start → work → end, with `work` doing what `body` says. */
export function linearFlow(name: string, body: string, extra = ''): string {
  return `import { FlowSpec, step } from 'flowspec';
${extra}
export class ${name} extends FlowSpec {
  @step start() { this.seed = 1; this.next(this.work); }
  @step async work() { ${body} this.next(this.end); }
  @step end() {}
}
`;
}

/** Two tasks that never end on their own, one busy and one asleep: whatever ends them is what the test did. */
export const ENDLESS = `import { FlowSpec, Inputs, step } from 'flowspec';
export class LongFlow extends FlowSpec {
  @step start() { this.next(this.spin, this.nap); }
  @step spin() { while (Date.now() > 0) { /* busy, forever */ } this.next(this.join); }
  @step async nap() { await new Promise(() => setInterval(() => undefined, 60_000)); this.next(this.join); }
  @step join(inputs: Inputs) { this.next(this.end); }
  @step end() {}
}
`;

/** Worker pids of the tasks that have started (from the `[run/step/task (pid N)]` prefixes). */
export function workerPids(output: string, steps: string[]): number[] {
  return steps.map((s) => Number(new RegExp(`/${s}/\\d+ \\(pid (\\d+)\\)\\] Task is starting`).exec(output)?.[1])).filter((n) => n > 0);
}
