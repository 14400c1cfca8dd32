// Runs the built CLI (dist/cli.js) the way a user would, against a fresh datastore.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../..');
export const CLI = join(REPO, 'dist/cli.js');
export const FLOWS = join(REPO, 'test/fixtures/flows');
export const EXAMPLES = join(REPO, 'examples');

/** Each example flow with the arguments it needs (for suites that run them all on another engine). */
export const EXAMPLE_RUNS: Array<{ file: string; flow: string; args: string[] }> = [
  { file: 'linear.ts', flow: 'LinearFlow', args: [] },
  { file: 'branch.ts', flow: 'BranchFlow', args: ['--alpha', '0.5'] },
  { file: 'foreach.ts', flow: 'ForeachFlow', args: [] },
  { file: 'merge_artifacts.ts', flow: 'MergeArtifactsFlow', args: [] },
  { file: 'parameters.ts', flow: 'ParameterFlow', args: ['--name', 'Ada', '--epochs', '2', '--verbose', '--config', '{"lr":0.5}'] },
  { file: 'artifacts.ts', flow: 'ArtifactFlow', args: [] },
];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A new, empty datastore folder. */
export function freshRoot(): string {
  return mkdtempSync(join(tmpdir(), 'flowspec-test-'));
}

export function runCli(args: string[], root: string, env: NodeJS.ProcessEnv = {}, cwd = REPO): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI without waiting (in `cwd`, default the repo); resolves `exited` when it ends. */
export function startCli(args: string[], root: string, { cwd = REPO, env = {} }: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, exited, output: () => stdout, errors: () => stderr };
}

/** Lines a task printed, without the `[run/step/task (pid N)]` prefix, for one step. */
export function linesOf(stdout: string, step: string): string[] {
  const re = new RegExp(`^\\[\\d+/${step}/\\d+ \\(pid \\d+\\)\\] (.*)$`);
  return stdout
    .split('\n')
    .map((l) => re.exec(l)?.[1])
    .filter((l): l is string => l !== undefined && !/^Task (is starting|finished successfully)/.test(l));
}

/** `flowspec ARGS` in `cwd` against datastore `root`, not blocking the test (for concurrency). */
export function cliAsync(args: string[], root: string, cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // 'close', not 'exit': only then has all the output been read.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : -2), stdout, stderr });
    });
  });
}
