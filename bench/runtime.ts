// Runtime figures (not a test): wall time of typical flows through the built CLI, per-task
// overhead, what a 100 MB artifact costs in time and disk, and resume of a foreach of 1,000.
// Run: npm run bench:runtime (`-- --resume-only` for the resume figures alone)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'flowspec-bench-'));

const flows: Record<string, string> = {
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
    this.y = this.input * 2;
    this.next(this.join);
  }
  @step join(inputs: Inputs) {
    if (process.env.BENCH_FAIL_JOIN) throw new Error('planned failure');
    this.total = [...inputs].reduce((s, i) => s + i.y, 0);
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
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

function diskBytes(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, f) => sum + diskBytes(join(path, f)), 0);
}

/** Runs the flow once and samples the scheduler process's peak resident memory (VmHWM). */
async function peakSchedulerMemory(name: string, args: string[]): Promise<{ seconds: number; peakMiB: number }> {
  const root = mkdtempSync(join(tmpdir(), 'flowspec-bench-mem-'));
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, 'run', join(dir, `${name}.ts`), ...args], {
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
    stdio: 'ignore',
  });
  let peakKiB = 0;
  const sample = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
    } catch {
      /* exited */
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sample);
  if (code !== 0) throw new Error(`${name} ${args.join(' ')} failed`);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, peakMiB: peakKiB / 1024 };
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

function resumeRows(): Array<[string, string, string]> {
  const rows: Array<[string, string, string]> = [];
  const ranText = (ran: Record<string, number>) =>
    Object.entries(ran)
      .map(([step, n]) => `${n} ${step}`)
      .join(', ');
  // After a failure in the join: clones start and the 1,000 tasks.
  const join1 = resumeCase({ BENCH_FAIL_JOIN: '1' });
  rows.push([
    `resume cloning ${join1.clones} tasks (foreach of 1,000, the join failed)`,
    `${join1.seconds.toFixed(2)} s`,
    `ran ${ranText(join1.ran)}`,
  ]);
  // The last item of the 1,000 failed (the run stops launching at a failure, so an earlier item
  // would leave later ones never run): the 999 others are cloned, that item, the join and end rerun.
  const item = resumeCase({ BENCH_FAIL_ITEM: '999' });
  rows.push([
    `resume a foreach of 1,000 where one item failed (${item.clones} cloned)`,
    `${item.seconds.toFixed(2)} s`,
    `ran ${ranText(item.ran)}`,
  ]);
  return rows;
}

async function main(): Promise<void> {
  const rows: Array<[string, string, string]> = [];
  if (process.argv.includes('--resume-only')) {
    rows.push(...resumeRows());
    return print(rows);
  }
  const linear = timeRun('linear');
  rows.push(['linear flow, 3 steps', `${linear.toFixed(2)} s`, '≤ 0.5 s']);
  const f100 = timeRun('foreach', ['--n', '100']);
  rows.push(['foreach of 100 trivial tasks', `${f100.toFixed(2)} s`, '≤ 2 s']);
  const f1000 = timeRun('foreach', ['--n', '1000'], 1);
  rows.push(['foreach of 1,000 trivial tasks', `${f1000.toFixed(2)} s`, '']);
  const perTask = (f1000 - f100) / 900;
  rows.push(['overhead per trivial task (1,000 vs 100)', `${(perTask * 1000).toFixed(1)} ms`, '≤ 30 ms']);
  rows.push(['10-way branch', `${timeRun('branch').toFixed(2)} s`, '']);
  // Each run on a new datastore, so every run writes the 100 MB blob (once, in start).
  const bigRuns = [0, 1, 2]
    .map(() => {
      const root = mkdtempSync(join(tmpdir(), 'flowspec-bench-big-'));
      const seconds = timeRun('big', [], 1, root);
      return { seconds, stored: diskBytes(join(root, 'BigArtifactBench/blobs')) };
    })
    .sort((a, b) => a.seconds - b.seconds);
  rows.push(['100 MB artifact through 3 steps (new datastore)', `${bigRuns[1].seconds.toFixed(2)} s`, '≤ 1.5 s']);
  rows.push(['  bytes stored for it', `${(bigRuns[1].stored / 1024 / 1024).toFixed(1)} MiB`, 'stored once']);
  rows.push(...resumeRows());

  const small = await peakSchedulerMemory('foreach', ['--n', '1000']);
  const large = await peakSchedulerMemory('foreach', ['--n', '10000']);
  rows.push(['foreach of 10,000 trivial tasks', `${large.seconds.toFixed(2)} s`, '']);
  rows.push(['  scheduler peak memory, 1,000 → 10,000 tasks', `${small.peakMiB.toFixed(0)} → ${large.peakMiB.toFixed(0)} MiB`, 'flat']);

  print(rows);
}

function print(rows: Array<[string, string, string]>): void {
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`flowspec runtime bench (${process.platform}, ${require('node:os').cpus().length} cores, node ${process.versions.node})`);
  for (const [what, value, target] of rows) console.log(`${what.padEnd(width)}  ${value.padStart(9)}  ${target}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
