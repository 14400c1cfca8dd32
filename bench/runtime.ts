// Runtime figures (not a test): wall time of typical flows through the built CLI, foreaches of up to
// 10,000 tasks (trivial ones, and ones that each set an artifact the join reads) with the per-task
// overhead and the scheduler's memory, what a 100 MB artifact costs in time and disk, and resume of a
// foreach of 1,000. Run: npm run bench:runtime (`-- --resume-only` for the resume figures alone,
// `-- --foreach-only` for the foreach figures alone, `-- --big-only` for the 100 MB artifact)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { figure, median } from './support/figure';

const CLI = resolve(__dirname, '../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'flowspec-bench-'));

const flows: Record<string, string> = {
  trivial: `import { FlowSpec, Inputs, Parameter, step } from 'flowspec';
export class TrivialForeachBench extends FlowSpec {
  n = Parameter('n', { default: 100 });
  @step start() { this.items = Array.from({ length: this.n }, (_, i) => i); this.next(this.work, { foreach: 'items' }); }
  @step work() { this.next(this.join); }
  @step join(inputs: Inputs) { this.next(this.end); }
  @step end() {}
}`,
  linear: `import { FlowSpec, step } from 'flowspec';
export class LinearBench extends FlowSpec {
  @step start() { this.x = 1; this.next(this.middle); }
  @step middle() { this.x += 1; this.next(this.end); }
  @step end() {}
}`,
  foreach: `import { FlowSpec, Inputs, Parameter, step } from 'flowspec';
export class ForeachBench extends FlowSpec {
  n = Parameter('n', { default: 100 });
  @step start() { this.items = Array.from({ length: this.n }, (_, i) => i); this.next(this.work, { foreach: 'items' }); }
  @step work() {
    if (String(this.input) === process.env.BENCH_FAIL_ITEM) throw new Error('planned failure');
    this.y = { item: this.input, doubled: this.input * 2, label: \`item \${this.input}\` };
    this.next(this.join);
  }
  @step join(inputs: Inputs) {
    if (process.env.BENCH_FAIL_JOIN) throw new Error('planned failure');
    this.total = [...inputs].reduce((s, i) => s + i.y.doubled, 0);
    if (this.total !== this.n * (this.n - 1)) throw new Error('lost an input');
    this.next(this.end);
  }
  @step end() {}
}`,
  branch: `import { FlowSpec, Inputs, step } from 'flowspec';
export class BranchBench extends FlowSpec {
  @step start() { this.next(${Array.from({ length: 10 }, (_, i) => `this.b${i}`).join(', ')}); }
${Array.from({ length: 10 }, (_, i) => `  @step b${i}() { this.v = ${i}; this.next(this.join); }`).join('\n')}
  @step join(inputs: Inputs) { this.sum = [...inputs].reduce((s, i) => s + i.v, 0); this.next(this.end); }
  @step end() {}
}`,
  big: `import { FlowSpec, step } from 'flowspec';
export class BigArtifactBench extends FlowSpec {
  @step start() { this.blob = Buffer.alloc(100 * 1024 * 1024, 7); this.next(this.middle); }
  @step middle() { this.note = 'blob passed on unchanged'; this.next(this.end); }
  @step end() { if (this.blob.length !== 100 * 1024 * 1024) throw new Error('lost bytes'); }
}`,
};
for (const [name, text] of Object.entries(flows)) writeFileSync(join(dir, `${name}.ts`), text);

/**
 * Median wall time of `repeat` runs on `root`, after one untimed run elsewhere that warms the
 * pre-run check's cache (kept per user, as a user's second run of a file would find it).
 */
function timeRun(name: string, args: string[] = [], repeat = 3, root = mkdtempSync(join(tmpdir(), 'flowspec-bench-root-'))): number {
  const times: number[] = [];
  const warmUpRoot = mkdtempSync(join(tmpdir(), 'flowspec-bench-warm-'));
  spawnSync(process.execPath, [CLI, 'run', join(dir, `${name}.ts`), ...args], {
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: warmUpRoot },
  });
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, 'run', join(dir, `${name}.ts`), ...args], {
      env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
      encoding: 'utf8',
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${name} failed:\n${r.stderr}`);
    times.push(seconds);
  }
  return median(times);
}

function diskBytes(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, f) => sum + diskBytes(join(path, f)), 0);
}

/**
 * Runs the flow once and samples the scheduler process's peak resident memory (VmHWM) and the CPU
 * time of it and its workers (as last seen, every 50 ms), which a loaded machine changes less than
 * the wall time.
 */
async function peakSchedulerMemory(name: string, args: string[]): Promise<{ seconds: number; peakMiB: number; cpuSeconds: number }> {
  const root = mkdtempSync(join(tmpdir(), 'flowspec-bench-mem-'));
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, 'run', join(dir, `${name}.ts`), ...args], {
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peakKiB = 0;
  const cpuTicks = new Map<number, number>(); // pid → last seen utime + stime, the scheduler's and each worker's
  const sample = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      const workers = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
      for (const pid of [child.pid!, ...workers]) {
        // utime and stime: fields 14 and 15 of /proc/PID/stat, the 12th and 13th after the command's ')'.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpuTicks.set(pid, Number(fields[11]) + Number(fields[12]));
      }
    } catch {
      /* exited */
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sample);
  if (code !== 0) throw new Error(`${name} ${args.join(' ')} failed:\n${stderr}`);
  return {
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    peakMiB: peakKiB / 1024,
    cpuSeconds: [...cpuTicks.values()].reduce((a, b) => a + b, 0) / CLOCK_TICKS,
  };
}

/** USER_HZ, the unit of /proc/PID/stat's times (100 on Linux whatever the kernel's tick). */
const CLOCK_TICKS = 100;

/**
 * Median time and highest scheduler peak of `repeat` runs of a foreach of `n`, after an untimed run
 * that warms the pre-run check's cache (which loads the analyzer: more time and memory).
 */
async function foreachRuns(name: string, n: number, repeat: number): Promise<{ seconds: number; peakMiB: number; cpuSeconds: number }> {
  await peakSchedulerMemory(name, ['--n', '1']);
  const runs: Array<{ seconds: number; peakMiB: number; cpuSeconds: number }> = [];
  for (let i = 0; i < repeat; i++) runs.push(await peakSchedulerMemory(name, ['--n', String(n)]));
  return {
    seconds: median(runs.map((r) => r.seconds)),
    peakMiB: Math.max(...runs.map((r) => r.peakMiB)),
    cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
  };
}

/** Fails a foreach of 1,000 (with `failEnv`), resumes it; the time of the resume and what it cloned and ran. */
function resumeCase(failEnv: Record<string, string>): { seconds: number; clones: number; ran: Record<string, number> } {
  const root = mkdtempSync(join(tmpdir(), 'flowspec-bench-resume-'));
  const env = { ...process.env, FLOWSPEC_DATASTORE_ROOT: root };
  const failed = spawnSync(process.execPath, [CLI, 'run', join(dir, 'foreach.ts'), '--n', '1000'], { env: { ...env, ...failEnv } });
  if (failed.status !== 1) throw new Error('the run to resume should have failed');
  const t0 = process.hrtime.bigint();
  const resumed = spawnSync(process.execPath, [CLI, 'resume', join(dir, 'foreach.ts')], { env, encoding: 'utf8' });
  if (resumed.status !== 0) throw new Error(resumed.stderr);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const ran: Record<string, number> = {};
  for (const m of resumed.stdout.matchAll(/^\[\d+\/(\w+)\/\d+ \(pid \d+\)\] Task is starting\./gm)) ran[m[1]] = (ran[m[1]] ?? 0) + 1;
  return { seconds, clones: (resumed.stdout.match(/Cloned from/g) ?? []).length, ran };
}

function resumeFigures(): void {
  const ranText = (ran: Record<string, number>) =>
    Object.entries(ran)
      .map(([step, n]) => `${n} ${step}`)
      .join(', ');
  // After a failure in the join: clones start and the 1,000 tasks.
  const join1 = resumeCase({ BENCH_FAIL_JOIN: '1' });
  figure(
    `resume cloning ${join1.clones} tasks (foreach of 1,000, the join failed)`,
    join1.seconds,
    's',
    undefined,
    `ran ${ranText(join1.ran)}`,
  );
  // The last item of the 1,000 failed (the run stops launching at a failure, so an earlier item
  // would leave later ones never run): the 999 others are cloned, that item, the join and end rerun.
  const item = resumeCase({ BENCH_FAIL_ITEM: '999' });
  figure(
    `resume a foreach of 1,000 where one item failed (${item.clones} cloned)`,
    item.seconds,
    's',
    undefined,
    `ran ${ranText(item.ran)}`,
  );
}

async function foreachFigures(): Promise<void> {
  const small = await foreachRuns('trivial', 1000, 3);
  const large = await foreachRuns('trivial', 10000, 3);
  figure('foreach of 1,000 trivial tasks', small.seconds, 's');
  figure('foreach of 10,000 trivial tasks', large.seconds, 's', { atMost: 4 });
  figure('overhead per trivial task (10,000 vs 1,000)', ((large.seconds - small.seconds) / 9000) * 1000, 'ms', { atMost: 0.5 });
  figure(
    'scheduler peak memory growth, foreach of 1,000 → 10,000',
    large.peakMiB - small.peakMiB,
    'MiB',
    { atMost: 10 },
    `${small.peakMiB.toFixed(0)} → ${large.peakMiB.toFixed(0)} MiB`,
  );
  const artifacts = await foreachRuns('foreach', 10000, 3);
  figure('foreach of 10,000, each sets an artifact, the join reads all', artifacts.seconds, 's', { atMost: 5 });
  // CPU of the scheduler and its child processes (workers, esbuild), for comparing builds on a loaded machine (no goal: the wall times have them).
  figure('  CPU, foreach of 10,000 trivial tasks', large.cpuSeconds, 's', undefined, 'the scheduler and its child processes, median');
  figure(
    '  CPU, foreach of 10,000 with artifacts and the join',
    artifacts.cpuSeconds,
    's',
    undefined,
    'the scheduler and its child processes, median',
  );
}

/** A 100 MB artifact through 3 steps, each run on a new datastore (so every run writes the blob, once, in start); the median of 3. */
function bigArtifactFigures(): void {
  const bigRuns = [0, 1, 2]
    .map(() => {
      const root = mkdtempSync(join(tmpdir(), 'flowspec-bench-big-'));
      const seconds = timeRun('big', [], 1, root);
      return { seconds, stored: diskBytes(join(root, 'BigArtifactBench/blobs')) };
    })
    .sort((a, b) => a.seconds - b.seconds);
  figure('100 MB artifact through 3 steps (new datastore)', bigRuns[1].seconds, 's', { atMost: 1.5 });
  figure('  copies of it stored', Math.round((bigRuns[1].stored / (100 * 1024 * 1024)) * 100) / 100, 'copies', { atMost: 1 });
}

async function main(): Promise<void> {
  console.log(
    `flowspec runtime bench (${process.platform}, ${cpus().length} cores, node ${process.versions.node}, load ${loadavg()[0].toFixed(1)})`,
  );
  if (process.argv.includes('--resume-only')) return resumeFigures();
  if (process.argv.includes('--foreach-only')) return foreachFigures();
  if (process.argv.includes('--big-only')) return bigArtifactFigures();
  figure('linear flow, 3 steps', timeRun('linear'), 's', { atMost: 0.5 });
  figure('foreach of 100 trivial tasks', timeRun('trivial', ['--n', '100']), 's', { atMost: 2 });
  figure('10-way branch', timeRun('branch'), 's');
  bigArtifactFigures();
  resumeFigures();
  await foreachFigures();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
