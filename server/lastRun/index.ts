// Values of the latest runs for hover, read on a worker thread (worker.ts) and cached a few
// seconds per question, so a hover never waits on the datastore longer than it chooses to and
// the analysis never does. Local and s3:// roots alike (the worker opens either).
import { join } from 'node:path';
import { ReaderThread } from '../../runtime/datastore/readerThread';
import type { LastRunArtifact, LastRunOps, LastRunParameter } from './queries';

export type { LastRunArtifact, LastRunParameter } from './queries';

/** How long an answer is trusted: a run that finishes meanwhile shows up once it expires. */
const TTL_MS = 3000;
/** A reader that takes longer (a slow S3 link) is restarted. */
const TIMEOUT_MS = 60_000;

export class LastRunValues {
  private readonly reader: ReaderThread<LastRunOps>;
  private readonly cache = new Map<string, { at: number; answer: Promise<unknown> }>();

  constructor(workerFile = defaultWorkerFile()) {
    this.reader = new ReaderThread<LastRunOps>({ workerFile, timeoutMs: TIMEOUT_MS, name: 'the last-run reader' });
  }

  artifact(root: string, flow: string, steps: string[], name: string): Promise<LastRunArtifact | undefined> {
    return this.cached(['a', root, flow, steps.join(','), name], () => this.reader.request('artifact', root, flow, steps, name));
  }

  parameter(root: string, flow: string, name: string): Promise<LastRunParameter | undefined> {
    return this.cached(['p', root, flow, name], () => this.reader.request('parameter', root, flow, name));
  }

  private cached<T>(key: string[], ask: () => Promise<T>): Promise<T | undefined> {
    const k = key.join('\0');
    const now = Date.now();
    const hit = this.cache.get(k);
    if (hit && now - hit.at < TTL_MS) return hit.answer as Promise<T | undefined>;
    // A datastore that cannot be read shows no value; the hover says the rest.
    const answer = ask().catch(() => undefined);
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(k, { at: now, answer });
    return answer;
  }
}

function defaultWorkerFile(): string {
  return __filename.endsWith('.ts') ? join(__dirname, 'worker.ts') : join(__dirname, 'lastRunReader.js');
}
