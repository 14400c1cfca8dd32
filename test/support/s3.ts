// A suite's S3 server: started before its tests with this process pointed at it (the client API the
// tests call reads the same datastore as the CLI they run), stopped and the environment restored after.
import type { Datastore } from '../../runtime/datastore';
import { S3Server, startS3Server } from '../scaleout/support/s3server';

/**
 * Counts the calls an S3 datastore makes into its S3 worker from now on: each a blocking round trip
 * (a batch of many requests, readFiles or listMany, counts once), what a real link's latency multiplies.
 */
export function countRoundTrips(store: Datastore): { count: number } {
  const counter = { count: 0 };
  const bridge = (store as unknown as { bridge: { call: (...args: unknown[]) => unknown } }).bridge;
  const call = bridge.call.bind(bridge);
  bridge.call = (...args: unknown[]) => {
    counter.count++;
    return call(...args);
  };
  return counter;
}

/** Points this process (the client API the tests call) at the test's S3 server; returns what puts it back. */
export function useS3Env(s3: S3Server): () => void {
  const env = s3.env('unused');
  delete env.FLOWSPEC_DATASTORE_ROOT;
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * Registers the enclosing suite's before/after hooks for an S3 server and returns it: its members
 * answer once the before hook has run (inside tests and later hooks).
 */
export function s3ServerForSuite(): S3Server {
  let s3: S3Server | undefined;
  let restoreEnv: (() => void) | undefined;
  before(async () => {
    s3 = await startS3Server();
    restoreEnv = useS3Env(s3);
  });
  after(async () => {
    restoreEnv?.();
    await s3?.close();
  });
  const started = (): S3Server => {
    if (!s3) throw new Error("the suite's S3 server starts in its before hook: use it inside a test");
    return s3;
  };
  return {
    get port() {
      return started().port;
    },
    get endpoint() {
      return started().endpoint;
    },
    env: (prefix) => started().env(prefix),
    root: (prefix) => started().root(prefix),
    close: () => started().close(),
  };
}
