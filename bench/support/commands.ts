// Commands a bench runs and times: a command that must succeed, its wall time and the CPU time of the
// processes it waited for (the figure that holds when the machine is busy), and the figure of several.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { figure, median } from './figure';

/** Runs a command to its end; its stdout, or an error with its output when it fails. */
export function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** The package a bench installs: FLOWSPEC_TARBALL (another build's, for a before figure), else this repo packed into `work`. */
export function packageUnderTest(work: string): string {
  if (process.env.FLOWSPEC_TARBALL) return resolve(process.env.FLOWSPEC_TARBALL);
  const packed = sh('npm', ['pack', '--silent', '--pack-destination', work], resolve(__dirname, '../..'));
  return join(work, packed.trim().split('\n').pop()!);
}

/** A measured command: its wall time, and the CPU time of the processes it waited for (the CLI and its task workers). */
export interface Timing {
  ms: number;
  cpuMs: number;
}

/** User + system CPU of this process's finished children so far (/proc: cutime + cstime), in ms. */
export function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

export function timed(f: () => unknown): Timing {
  const [started, cpu] = [performance.now(), childrenCpuMs()];
  f();
  return { ms: performance.now() - started, cpuMs: childrenCpuMs() - cpu };
}

/** The median wall time of `timings` as a figure, with the worst and the median CPU time beside it. */
export function timedFigure(name: string, timings: Timing[], goal: number): void {
  const ms = timings.map((t) => t.ms);
  figure(
    name,
    median(ms),
    'ms',
    { atMost: goal },
    `worst ${Math.max(...ms).toFixed(0)} ms, CPU ${median(timings.map((t) => t.cpuMs)).toFixed(0)} ms`,
  );
}
