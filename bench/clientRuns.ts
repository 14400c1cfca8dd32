// Client API figures on an S3 datastore (not a test): Flow.runs(), latestRun and the runs of the
// user's namespace over 1,000 runs, on s3rver on this machine, reached directly and through a
// proxy that delays each packet by LATENCY_MS each way (a bucket in another zone). Besides the
// times, the number of synchronous round trips to the S3 worker: what a real link's latency multiplies.
// Then `flowspec runs` over the same runs through the proxy, with and without --tag (the figure with its goal).
// Each run has its own parameter values and every tenth a tag added after it ended, as `flowspec tag` does.
// Run: npm run bench:client-runs [-- RUNS], or npm run bench -- client-runs
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startS3Server } from '../test/scaleout/support/s3server';
import { countRoundTrips } from '../test/support/s3';
import { openDatastore } from '../runtime/datastore';
import type { Datastore } from '../runtime/datastore';
import { serializeArtifact } from '../runtime/datastore/artifacts';
import { listedValue, RunRecord } from '../runtime/datastore/records';
import { changeTags } from '../runtime/datastore/tags';
import { Flow } from '../runtime/client';
import { sh, timed, timedFigure } from './support/commands';

const CLI = resolve(__dirname, '../dist/cli.js');
const FLOW = 'ListedFlow';
const FLOW_SOURCE = `import { FlowSpec, Parameter, step } from 'flowspec';
export class ListedFlow extends FlowSpec {
  alpha = Parameter('alpha', { default: 1 });
  label = Parameter('label', { default: 'first' });
  @step start() { this.next(this.end); }
  @step end() {}
}`;
const LATENCY_MS = 10;
/** The goal of `flowspec runs` over 1,000 runs on S3 with LATENCY_MS each way (issue 22's follow-up): a few seconds. */
const CLI_GOAL_MS = 5000;

/** A TCP proxy to `port` that delays every chunk by `ms` in each direction. */
async function delayingProxy(port: number, ms: number): Promise<{ port: number; server: Server }> {
  const later = (f: () => void) => setTimeout(f, ms);
  const server = createServer((client) => {
    const upstream = createConnection(port, '127.0.0.1');
    client.on('data', (d) => later(() => upstream.write(d)));
    upstream.on('data', (d) => later(() => client.write(d)));
    client.on('end', () => later(() => upstream.end()));
    upstream.on('end', () => later(() => client.end()));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

function measure(counter: { count: number }, fn: () => string): { result: string; ms: number; trips: number } {
  const times: number[] = [];
  let result = '';
  for (let i = 0; i < 3; i++) {
    counter.count = 0;
    const t0 = process.hrtime.bigint();
    result = fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { result, ms: Math.round(times.sort((a, b) => a - b)[1]), trips: counter.count };
}

/** The delaying proxy in a child process (this thread blocks on S3 calls, so it cannot serve one). */
function spawnProxy(target: number): { port: Promise<number>; stop: () => void } {
  const child = fork(__filename, ['--proxy', String(target)], { execArgv: ['--require', require.resolve('tsx/cjs')] });
  return {
    port: new Promise((resolve) => child.once('message', (m: { port: number }) => resolve(m.port))),
    stop: () => child.kill(),
  };
}

/** Runs 2..n as copies of run 1's records, each with its own parameter values; every tenth tagged `reviewed` after the fact. */
function copyRuns(store: Datastore, n: number): void {
  const record = JSON.parse(store.readFile(`${FLOW}/runs/1/run.json`)!.toString()) as RunRecord;
  const status = store.readFile(`${FLOW}/runs/1/status.json`)!;
  const stored = (name: string, value: unknown) => {
    const { bytes, info } = serializeArtifact(name, value);
    store.putBlob(FLOW, info.hash, bytes);
    return { ...record.parameters[name], ...info, ...listedValue(value) };
  };
  for (let i = 2; i <= n; i++) {
    const copy: RunRecord = {
      ...record,
      runId: String(i),
      parameters: { alpha: stored('alpha', i), label: stored('label', `run ${i}`) },
    };
    store.writeJson(`${FLOW}/runs/${i}/run.json`, copy);
    store.writeFile(`${FLOW}/runs/${i}/status.json`, status);
    if (i % 10 === 0) changeTags(store, copy, { add: ['reviewed'], remove: [] });
  }
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const s3 = await startS3Server();
  try {
    const env = s3.env('client-runs');
    const dir = mkdtempSync(join(tmpdir(), 'flowspec-bench-client-runs-'));
    writeFileSync(join(dir, 'package.json'), '{ "name": "bench", "private": true }');
    writeFileSync(join(dir, 'flow.ts'), FLOW_SOURCE);
    sh(process.execPath, [CLI, 'run', join(dir, 'flow.ts')], dir, env);
    Object.assign(process.env, env);
    const store = openDatastore(env.FLOWSPEC_DATASTORE_ROOT);
    copyRuns(store, n);
    console.log(
      `${n} runs of ${FLOW} on s3rver (median of 3)\n\n| call | result | time | time, +${LATENCY_MS} ms each way | round trips |\n| --- | --- | --- | --- | --- |`,
    );
    // The proxy runs in a child process: this thread blocks while the S3 worker waits for answers.
    const proxy = spawnProxy(s3.port);
    const slowEndpoint = `http://127.0.0.1:${await proxy.port}`;
    process.env.AWS_ENDPOINT_URL_S3 = slowEndpoint;
    const slow = openDatastore(env.FLOWSPEC_DATASTORE_ROOT); // another endpoint: another store
    process.env.AWS_ENDPOINT_URL_S3 = env.AWS_ENDPOINT_URL_S3;
    const stores = [store, slow];
    const counters = stores.map(countRoundTrips);
    const rows: Array<[string, (ds: Datastore) => string]> = [
      ['listing the run ids (one LIST)', (ds) => `${ds.list(`${FLOW}/runs`).length} ids`],
      ['`Flow.runs()`, namespace(null)', (ds) => `${new Flow(FLOW, { datastore: ds, namespace: null }).runs().length} runs`],
      ['`Flow.runs()` in the user namespace', (ds) => `${new Flow(FLOW, { datastore: ds }).runs().length} runs`],
      ['`latestRun`', (ds) => `run ${new Flow(FLOW, { datastore: ds, namespace: null }).latestRun?.id}`],
      [
        '`runs()` then each `status`',
        (ds) => `${new Flow(FLOW, { datastore: ds, namespace: null }).runs().filter((run) => run.successful).length} successful`,
      ],
      [
        '`runs()` then each `userTags` and `parameters`',
        (ds) =>
          `${
            new Flow(FLOW, { datastore: ds, namespace: null })
              .runs()
              .filter((run) => run.userTags.includes('reviewed') && run.parameters.alpha !== undefined).length
          } reviewed`,
      ],
    ];
    for (const [label, fn] of rows) {
      const [direct, delayed] = stores.map((ds, i) => measure(counters[i], () => fn(ds)));
      console.log(`| ${label} | ${direct.result} | ${direct.ms} ms | ${delayed.ms} ms | ${direct.trips} |`);
    }
    console.log();
    // The command a user types, in its own process, through the proxy.
    const slowEnv = { ...env, AWS_ENDPOINT_URL_S3: slowEndpoint };
    for (const [label, args] of [
      ['', []],
      [', --tag reviewed', ['--tag', 'reviewed']],
    ] as const) {
      let lines = 0;
      const timings = Array.from({ length: 3 }, () =>
        timed(() => (lines = sh(process.execPath, [CLI, 'runs', FLOW, ...args], dir, slowEnv).split('\n').length)),
      );
      const name = `flowspec runs${label}, ${n.toLocaleString('en')} runs, S3 + ${LATENCY_MS} ms`;
      timedFigure(name, timings, CLI_GOAL_MS);
      console.log(`  (${lines} lines of output)`);
    }
    proxy.stop();
  } finally {
    await s3.close();
  }
}

if (process.argv[2] === '--proxy') {
  void delayingProxy(Number(process.argv[3]), LATENCY_MS).then(({ port }) => process.send!({ port }));
} else {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
