// The Runs view's reads (not a test): how long the extension's datastore reader takes to answer
// what the view asks — the flows with 1,000 runs (50 shown, the default `flowspec.runs.limit`),
// a run's steps when one is a foreach of 1,000 tasks, one task's artifacts — and how long the
// extension host's thread is blocked meanwhile, against the same reads made with the client API on
// the calling thread (what the extension did before the reader). Medians of 5 reads.
// Run: npm run bench:runsview
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DatastoreReader } from '../client/reader/proxy';
import { queries } from '../client/reader/queries';
import { figure, median } from './support/figure';

const CLI = resolve(__dirname, '../dist/cli.js');
const RUNS = 1000;
const TASKS = 1000;

const FLOW = `import { FlowSpec, Inputs, Parameter, step } from 'flowspec';
export class ViewBench extends FlowSpec {
  n = Parameter('n', { default: 3 });
  @step start() { this.items = Array.from({ length: this.n }, (_, i) => i); this.next(this.work, { foreach: 'items' }); }
  @step work() { this.y = this.input * 2; this.next(this.join); }
  @step join(inputs: Inputs) { this.total = [...inputs].reduce((s, i) => s + i.y, 0); this.next(this.end); }
  @step end() {}
}`;

function setUp(): { root: string; bigRun: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-bench-view-'));
  const root = join(dir, '.flowspec');
  writeFileSync(join(dir, 'package.json'), '{ "name": "bench", "private": true }');
  writeFileSync(join(dir, 'flow.ts'), FLOW);
  const run = (n: number) => {
    const r = spawnSync(process.execPath, [CLI, 'run', join(dir, 'flow.ts'), '--n', String(n)], {
      cwd: dir,
      env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  run(3);
  // 1,000 runs: copies of the small run's records under new ids (what the view lists is the same).
  const runs = join(root, 'ViewBench', 'runs');
  const [small] = readdirSync(runs);
  for (let i = 2; i < RUNS; i++) cpSync(join(runs, small), join(runs, String(1000 + i)), { recursive: true });
  run(TASKS);
  const bigRun = readdirSync(runs).sort((a, b) => Number(b) - Number(a))[0];
  return { root, bigRun };
}

const REPEAT = 5;

/** Medians over REPEAT reads of the wall time, and of the longest the calling thread's event loop was held up meanwhile. */
async function measure(read: () => unknown): Promise<{ ms: number; blockedMs: number }> {
  const runs: Array<{ ms: number; blockedMs: number }> = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await measureOnce(read));
  return { ms: median(runs.map((r) => r.ms)), blockedMs: median(runs.map((r) => r.blockedMs)) };
}

async function measureOnce(read: () => unknown): Promise<{ ms: number; blockedMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // A timer that ticks through the read: the loop's delay is how long the thread could not run it.
  const tick = setInterval(() => undefined, 1);
  const t0 = performance.now();
  await read();
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(tick);
  delay.disable();
  return { ms, blockedMs: delay.max / 1e6 };
}

async function main(): Promise<void> {
  console.log(`setting up: ${RUNS} runs of a flow, one with a foreach of ${TASKS} tasks…`);
  const { root, bigRun } = setUp();
  const reader = new DatastoreReader({ workerFile: resolve(__dirname, '../dist/datastoreReader.js') });
  await reader.request('flows', [root], 1); // the worker's start, once per session
  const steps = queries.steps(root, 'ViewBench', bigRun);
  const task = steps.find((s) => s.name === 'work')!.tasks[500].pathspec;
  const cases: Array<[string, () => unknown, () => unknown]> = [
    [`flows, ${RUNS} runs (50 shown)`, () => reader.request('flows', [root], 50), () => queries.flows([root], 50)],
    [
      `steps of a run with a foreach of ${TASKS}`,
      () => reader.request('steps', root, 'ViewBench', bigRun),
      () => queries.steps(root, 'ViewBench', bigRun),
    ],
    ["one task's artifacts", () => reader.request('taskContents', root, task), () => queries.taskContents(root, task)],
  ];
  console.log('what the view reads'.padEnd(42), 'reader: wall, host blocked'.padEnd(30), 'on the host thread: wall = blocked');
  for (const [name, viaReader, direct] of cases) {
    const a = await measure(viaReader);
    const b = await measure(direct);
    console.log(name.padEnd(42), `${a.ms.toFixed(0)} ms, ${a.blockedMs.toFixed(0)} ms`.padEnd(30), `${b.ms.toFixed(0)} ms`);
    figure(`Runs view: ${name}, through the reader`, a.ms, 'ms', undefined, `host blocked ${a.blockedMs.toFixed(0)} ms`);
  }
  reader.dispose();
}

void main();
