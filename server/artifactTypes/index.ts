// Keeps the generated artifact types (.flowspec-types/, `flowspec types`) of open flow files fresh
// while the user types, in every project: the editor's TypeScript then sees each artifact's type
// without a save (through the tsconfig's include, or the extension's TypeScript plugin where the
// tsconfig has none, or there is no tsconfig). Debounced per document, generated on a worker thread
// (worker.ts); a failure is logged, never shown as a diagnostic.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReaderThread } from '../../runtime/datastore/readerThread';
import { Scheduler } from '../scheduler';
import type { ArtifactTypesOps } from './worker';

/** TypeScript over the whole project takes a few seconds the first time: a slow answer is not a hung one. */
const TIMEOUT_MS = 120_000;

export class ArtifactTypesWriter {
  private readonly thread: ReaderThread<ArtifactTypesOps>;
  private readonly scheduler: Scheduler;
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly log: (message: string) => void,
    delayMs = 800,
    workerFile = defaultWorkerFile(),
  ) {
    this.thread = new ReaderThread<ArtifactTypesOps>({ workerFile, timeoutMs: TIMEOUT_MS, name: 'the artifact types writer' });
    this.scheduler = new Scheduler(delayMs, (uri) => this.refresh(uri));
  }

  /** A flow document changed (or opened): its types are refreshed once the user pauses. */
  changed(uri: string, text: string): void {
    if (!uri.startsWith('file:')) return;
    this.texts.set(uri, text);
    this.scheduler.schedule(uri);
  }

  closed(uri: string): void {
    this.scheduler.cancel(uri);
    this.texts.delete(uri);
  }

  /** Writes every pending refresh now (tests, through `flowspec/flush`). */
  flush(): Promise<void> {
    return this.scheduler.flush();
  }

  dispose(): void {
    this.thread.dispose();
  }

  private async refresh(uri: string): Promise<void> {
    const text = this.texts.get(uri);
    if (text === undefined) return;
    const file = fileURLToPath(uri);
    const started = Date.now();
    try {
      const touched = await this.thread.request('refresh', file, text);
      if (touched.length) this.log(`artifact types of ${uri} written in ${Date.now() - started} ms: ${touched.join(', ')}`);
    } catch (e) {
      this.log(`artifact types of ${uri} not refreshed: ${(e as Error).message}`);
    }
  }
}

function defaultWorkerFile(): string {
  return __filename.endsWith('.ts') ? join(__dirname, 'worker.ts') : join(__dirname, 'artifactTypesWriter.js');
}
