// Client API figures on an S3 datastore (not a test): Flow.runs(), latestRun and the runs of the
// user's namespace over 1,000 runs, on s3rver on this machine, reached directly and through a
// proxy that delays each packet by LATENCY_MS each way (a bucket in another zone). Besides the
// times, the number of synchronous round trips to the S3 worker: what a real link's latency multiplies.
// Run: npm run bench:client-runs [-- RUNS]
import { fork, spawnSync } from 'node:child_process';
import { createConnection, createServer, Server } from 'node:net';
import { resolve } from 'node:path';
import { startS3Server } from '../test/scaleout/support/s3server';
import { openDatastore } from '../runtime/datastore';
import type { Datastore } from '../runtime/datastore';
import { Flow } from '../runtime/client';

const CLI = resolve(__dirname, '../dist/cli.js');
const FLOW = 'LinearFlow';
const LATENCY_MS = 10;

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

/** Counts the calls into the S3 worker (each a blocking round trip, a getMany of many objects included). */
function countRoundTrips(store: Datastore): { count: number } {
  const counter = { count: 0 };
  const bridge = (store as unknown as { bridge: { call: (...args: unknown[]) => unknown } }).bridge;
  const call = bridge.call.bind(bridge);
  bridge.call = (...args: unknown[]) => {
    counter.count++;
    return call(...args);
  };
  return counter;
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

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const s3 = await startS3Server();
  try {
    const env = s3.env('client-runs');
    const r = spawnSync(process.execPath, [CLI, 'run', resolve(__dirname, '../examples/linear.ts')], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    Object.assign(process.env, env);
    const store = openDatastore(env.FLOWSPEC_DATASTORE_ROOT);
    // Runs 2..n as copies of run 1's records (running the flow n times would take a while).
    const record = JSON.parse(store.readFile(`${FLOW}/runs/1/run.json`)!.toString()) as Record<string, unknown>;
    const status = store.readFile(`${FLOW}/runs/1/status.json`)!;
    for (let i = 2; i <= n; i++) {
      store.writeJson(`${FLOW}/runs/${i}/run.json`, { ...record, runId: String(i) });
      store.writeFile(`${FLOW}/runs/${i}/status.json`, status);
    }
    console.log(
      `${n} runs of ${FLOW} on s3rver (median of 3)\n\n| call | result | time | time, +${LATENCY_MS} ms each way | round trips |\n| --- | --- | --- | --- | --- |`,
    );
    // The proxy runs in a child process: this thread blocks while the S3 worker waits for answers.
    const proxy = spawnProxy(s3.port);
    process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${await proxy.port}`;
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
    ];
    for (const [label, fn] of rows) {
      const [direct, delayed] = stores.map((ds, i) => measure(counters[i], () => fn(ds)));
      console.log(`| ${label} | ${direct.result} | ${direct.ms} ms | ${delayed.ms} ms | ${direct.trips} |`);
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
