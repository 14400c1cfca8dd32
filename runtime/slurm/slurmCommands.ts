// The Slurm commands the executor uses, each one call and a parser: sbatch (submit, --test-only),
// squeue (states of many jobs at once), scancel, scontrol (an exit code, the array size limit).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; `input` goes to its stdin. A command that cannot start answers code 127. */
export function runCommand(command: string, args: string[], input?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: e.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** The full path of a command found on the PATH, if any. */
export function onPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  return path
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, command))
    .find((file) => existsSync(file));
}

/** Slurm's complaint in one line: its `error:` line without the `sbatch: error:` lead, else the last line. */
export function slurmError(result: CommandResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const error = lines.find((l) => /\berror:/.test(l));
  return (error ?? lines[lines.length - 1] ?? `exit code ${result.code}`).replace(/^\w+: error: /, '');
}

/** Submits a batch script (given on stdin); resolves to the job id or rejects with Slurm's line. */
export async function sbatch(args: string[], script: string): Promise<string> {
  const r = await runCommand('sbatch', ['--parsable', ...args], script);
  const id = /^(\d+)/.exec(r.stdout.trim())?.[1];
  if (r.code !== 0 || !id) throw new Error(slurmError(r));
  return id;
}

/** Whether Slurm would take a job with these arguments (`sbatch --test-only`): undefined, or its reason. */
export async function sbatchRefusal(args: string[]): Promise<string | undefined> {
  const r = await runCommand('sbatch', ['--test-only', ...args], '#!/bin/sh\ntrue\n');
  return r.code === 0 ? undefined : slurmError(r);
}

export interface JobState {
  state: string;
  reason: string;
  node?: string;
}

/**
 * The state of every job (and array element, as `12_3`) of the given job ids, finished ones
 * included while the controller remembers them (MinJobAge, 5 min by default). One squeue call.
 */
export async function jobStates(jobIds: string[]): Promise<Map<string, JobState>> {
  const states = new Map<string, JobState>();
  if (!jobIds.length) return states;
  const r = await runCommand('squeue', ['--noheader', '--states=all', '--array', `--jobs=${jobIds.join(',')}`, '--format=%i|%T|%r|%N']);
  for (const line of r.stdout.split('\n')) {
    const [id, state, reason, node] = line.trim().split('|');
    if (id && state) states.set(id, { state, reason: reason ?? '', ...(node ? { node } : {}) });
  }
  // squeue refuses the whole list when one id is unknown (forgotten by the controller): ask one by one.
  if (r.code !== 0 && jobIds.length > 1) {
    for (const id of jobIds) for (const [k, v] of await jobStates([id])) states.set(k, v);
  }
  return states;
}

export async function scancel(jobIds: string[]): Promise<void> {
  if (jobIds.length) await runCommand('scancel', jobIds);
}

/** A finished job's exit code (`scontrol show job`), when the controller still knows the job. */
export async function exitCode(jobId: string): Promise<number | undefined> {
  const r = await runCommand('scontrol', ['show', 'job', jobId]);
  const m = /\bExitCode=(\d+):(\d+)/.exec(r.stdout);
  return m ? Number(m[1]) : undefined;
}

/** How many elements one job array may have (MaxArraySize; Slurm's default is 1001). */
export async function maxArraySize(): Promise<number> {
  const r = await runCommand('scontrol', ['show', 'config']);
  const m = /^MaxArraySize\s*=\s*(\d+)/m.exec(r.stdout);
  return m ? Number(m[1]) : 1001;
}
