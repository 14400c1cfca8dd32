// Slurm figures (not a test): a foreach of 100 trivial tasks on a real one-node Slurm cluster
// (scripts/slurm/start-slurm.sh, started and stopped here) against the local worker pool: wall
// time, time to the first task, overhead per task, and how many sbatch calls the run made (read
// from the cluster's own job log).
// Run: npm run bench:slurm
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Flow } from '../runtime/client';

const REPO = resolve(__dirname, '..');
const CLI = join(REPO, 'dist/cli.js');
const FLOW = join(REPO, 'test/fixtures/slurm/hundred.ts');

interface Measured {
  wall: number;
  firstTask: number;
  tasks: number;
  runId: string;
  root: string;
}

function runHundred(extra: string[]): Measured {
  const root = mkdtempSync(join(tmpdir(), 'flowspec-bench-slurm-'));
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, 'run', FLOW, ...extra], {
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
    encoding: 'utf8',
  });
  const wall = (Date.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`run ${extra.join(' ')} failed:\n${r.stderr}`);
  const run = new Flow('HundredFlow', { root }).latestRun!;
  const start = run.step('start').task!;
  const tasks = run.steps().reduce((n, s) => n + s.tasks().length, 0);
  return { wall, firstTask: (start.startedAt!.getTime() - t0) / 1000, tasks, runId: run.id, root };
}

/** Submissions (a job array counts once) the cluster logged for jobs named `<flow>-<run>-...`. */
function submissions(clusterDir: string, prefix: string): number {
  const lines = readFileSync(join(clusterDir, 'jobs.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.includes(` Name=${prefix}`));
  return new Set(lines.map((l) => /\bArrayJobId=(\d+)/.exec(l)?.[1] ?? /\bJobId=(\d+)/.exec(l)![1])).size;
}

function main(): void {
  const clusterDir = mkdtempSync(join(tmpdir(), 'flowspec-bench-cluster-'));
  const started = spawnSync('bash', [join(REPO, 'scripts/slurm/start-slurm.sh'), clusterDir], { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`the Slurm cluster did not start: ${started.stderr}`);
  process.env.SLURM_CONF = /export SLURM_CONF=(\S+)/.exec(started.stdout)![1];
  try {
    runHundred([]); // warms the bundle and check caches
    const local = runHundred([]);
    const slurm = runHundred(['--with', 'slurm']);
    const calls = submissions(clusterDir, `HundredFlow-${slurm.runId}-`);
    const row = (label: string, l: string, s: string) => console.log(`| ${label} | ${l} | ${s} |`);
    console.log('| foreach of 100 trivial tasks (104 tasks) | local workers | Slurm (one node, this machine) |\n| --- | --- | --- |');
    row('wall time of `flowspec run`', `${local.wall.toFixed(2)} s`, `${slurm.wall.toFixed(2)} s`);
    row(
      'time to the first task (command start → start task running)',
      `${local.firstTask.toFixed(2)} s`,
      `${slurm.firstTask.toFixed(2)} s`,
    );
    row('overhead per task ((wall − local wall) / tasks)', '—', `${(((slurm.wall - local.wall) / slurm.tasks) * 1000).toFixed(0)} ms`);
    row('sbatch submissions', '0', `${calls} (start, the foreach as one array, join, end)`);
    console.log(`\n${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end (figures scale with it).`);
  } finally {
    spawnSync('bash', [join(REPO, 'scripts/slurm/stop-slurm.sh'), clusterDir]);
  }
}

main();
