// Keeps the generated artifact types (.flowspec-types/, `flowspec types`) of open flow files fresh
// while the user types, in every project: the editor's TypeScript then sees each artifact's type
// without a save (through the tsconfig's include, or the extension's TypeScript plugin where the
// tsconfig has none, or there is no tsconfig). Debounced per document, generated on a worker thread
// (worker.ts); a failure is logged, never shown as a diagnostic. Hover asks for the types of the
// text it shows (`typesOf`): the one computation, so hover's type is the one TypeScript sees.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowArtifactTypes } from '../../analyzer';
import { ReaderThread } from '../../runtime/datastore/readerThread';
import { Scheduler } from '../scheduler';
import type { ArtifactTypesOps } from './worker';

/** TypeScript over the whole project takes a few seconds the first time: a slow answer is not a hung one. */
const TIMEOUT_MS = 120_000;

/** The pause after an edit before the types are refreshed (hover on the edited text refreshes at once). */
const DELAY_MS = 300;

export class ArtifactTypesWriter {
  private readonly thread: ReaderThread<ArtifactTypesOps>;
  private readonly scheduler: Scheduler;
  /** The latest text of each open flow document. */
  private readonly texts = new Map<string, string>();
  /** Each document's last refresh: the text it was of, and its flows' artifact types (or the refresh under way). */
  private readonly refreshed = new Map<string, { text: string; flows: Promise<FlowArtifactTypes[] | undefined> }>();

  constructor(
    private readonly log: (message: string) => void,
    delayMs = DELAY_MS,
    workerFile = defaultWorkerFile(),
  ) {
    this.thread = new ReaderThread<ArtifactTypesOps>({ workerFile, timeoutMs: TIMEOUT_MS, name: 'the artifact types writer' });
    this.scheduler = new Scheduler(delayMs, (uri) => this.refresh(uri).then(() => undefined));
  }

  /** A flow document changed (or opened): its types are refreshed once the user pauses. */
  changed(uri: string, text: string): void {
    if (!uri.startsWith('file:')) return;
    this.texts.set(uri, text);
    this.scheduler.schedule(uri);
  }

  /** A file its types were generated from changed (a config's default file): they are refreshed once the user pauses. */
  inputsChanged(uri: string): void {
    this.refreshed.delete(uri);
    if (this.texts.has(uri)) this.scheduler.schedule(uri);
  }

  closed(uri: string): void {
    this.scheduler.cancel(uri);
    this.texts.delete(uri);
    this.refreshed.delete(uri);
  }

  /**
   * The artifact types of the document's flows for `text` (its current text), as written to its
   * declarations: refreshed now when the pause after the edit has not ended yet; undefined when
   * there are none (not a file, not open, or the refresh failed: it is logged).
   */
  async typesOf(uri: string, text: string): Promise<FlowArtifactTypes[] | undefined> {
    const last = this.refreshed.get(uri);
    if (last?.text === text) return last.flows;
    if (this.texts.get(uri) !== text) return undefined;
    this.scheduler.cancel(uri);
    return this.refresh(uri);
  }

  /** Writes every pending refresh now (tests, through `flowspec/flush`). */
  flush(): Promise<void> {
    return this.scheduler.flush();
  }

  dispose(): void {
    this.thread.dispose();
  }

  private refresh(uri: string): Promise<FlowArtifactTypes[] | undefined> {
    const text = this.texts.get(uri);
    if (text === undefined) return Promise.resolve(undefined);
    const last = this.refreshed.get(uri);
    if (last?.text === text) return last.flows;
    const file = fileURLToPath(uri);
    const started = Date.now();
    const flows = this.thread.request('refresh', file, text).then(
      ({ touched, flows }) => {
        if (touched.length) this.log(`artifact types of ${uri} written in ${Date.now() - started} ms: ${touched.join(', ')}`);
        return flows;
      },
      (e: Error) => {
        this.log(`artifact types of ${uri} not refreshed: ${e.message}`);
        return undefined;
      },
    );
    this.refreshed.set(uri, { text, flows });
    return flows;
  }
}

function defaultWorkerFile(): string {
  return __filename.endsWith('.ts') ? join(__dirname, 'worker.ts') : join(__dirname, 'artifactTypesWriter.js');
}
