// The extension host's side of the datastore reader: the worker thread dist/datastoreReader.js
// (client/reader/worker.ts), asked with the typed requests of protocol.ts. No vscode import:
// unit-tested in plain Node (test/client/reader.test.ts).
import { join } from 'node:path';
import { ReaderThread } from '../../runtime/datastore/readerThread';
import type { ReaderOps } from './protocol';

/** Longest a request may take (listing a large flow over a slow link) before the worker is restarted. */
const DEFAULT_TIMEOUT_MS = 120_000;

export interface ReaderOptions {
  /** The worker's script; default: dist/datastoreReader.js next to the extension's bundle (worker.ts under tsx). */
  workerFile?: string;
  timeoutMs?: number;
}

export class DatastoreReader extends ReaderThread<ReaderOps> {
  constructor(options: ReaderOptions = {}) {
    super({
      workerFile: options.workerFile ?? defaultWorkerFile(),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      name: 'the datastore reader',
    });
  }
}

function defaultWorkerFile(): string {
  return __filename.endsWith('.ts') ? join(__dirname, 'worker.ts') : join(__dirname, 'datastoreReader.js');
}
