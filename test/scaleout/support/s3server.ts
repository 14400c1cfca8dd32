// A real S3-compatible server for the tests: s3rver on 127.0.0.1, a random free port and a fresh
// folder, with one bucket. Tasks reach it through the usual AWS environment variables. It runs in
// a child process: the client API blocks its thread while the S3 worker thread waits for the
// server's answer, so a server in the test's own thread would never answer.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BUCKET = 'flowspec-test';

export interface S3Server {
  port: number;
  endpoint: string;
  /** Environment for a process that uses the server (AWS variables, a private cache folder). */
  env(prefix: string): NodeJS.ProcessEnv;
  root(prefix: string): string;
  close(): Promise<void>;
}

export async function startS3Server(): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'flowspec-s3rver-'));
  const cache = mkdtempSync(join(tmpdir(), 'flowspec-s3cache-'));
  const child = fork(join(__dirname, 's3serverProcess.cjs'), [directory, BUCKET], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    port,
    endpoint,
    root: (prefix) => `s3://${BUCKET}/${prefix}`,
    env: (prefix) => ({
      FLOWSPEC_DATASTORE_ROOT: `s3://${BUCKET}/${prefix}`,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      FLOWSPEC_S3_CACHE_DIR: cache,
    }),
    close: async () => {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(directory, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    },
  };
}
