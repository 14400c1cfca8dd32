// The extension host's side of the datastore reader: one long-lived worker thread
// (dist/datastoreReader.js, started on the first request), asked with typed requests that return
// promises. A request that gets no answer in time, or a worker that dies, fails with a message
// that says so; the worker is then gone and the next request starts a new one. No vscode import:
// unit-tested in plain Node (test/client/reader.test.ts).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReaderOp, ReaderOps, ReaderRequest, ReaderResponse } from './protocol';

/** Longest a request may take (listing a large flow over a slow link) before the worker is restarted. */
const DEFAULT_TIMEOUT_MS = 120_000;

export interface ReaderOptions {
  /** The worker's script; default: dist/datastoreReader.js next to the extension's bundle (worker.ts under tsx). */
  workerFile?: string;
  timeoutMs?: number;
}

interface Pending {
  op: ReaderOp;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class DatastoreReader {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly workerFile: string;
  private readonly timeoutMs: number;

  constructor(options: ReaderOptions = {}) {
    this.workerFile = options.workerFile ?? defaultWorkerFile();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Asks the worker; resolves with its answer, rejects with its error or the worker's failure. */
  request<K extends ReaderOp>(op: K, ...args: Parameters<ReaderOps[K]>): Promise<ReturnType<ReaderOps[K]>> {
    const worker = this.worker ?? this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(worker, `the datastore reader did not answer within ${Math.round(this.timeoutMs / 1000)} s; it was restarted`);
      }, this.timeoutMs);
      this.pending.set(id, { op, resolve: resolve as (value: unknown) => void, reject, timer });
      worker.postMessage({ id, op, args } satisfies ReaderRequest);
    });
  }

  /** Whether requests are waiting for answers (a refresh that would only queue behind them can wait). */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  private start(): Worker {
    const fromSource = this.workerFile.endsWith('.ts');
    // Under tsx (tests import the extension's modules from source) the worker registers tsx first.
    const source = fromSource
      ? `require(${JSON.stringify(createRequire(__filename).resolve('tsx/cjs'))}); require(${JSON.stringify(this.workerFile)});`
      : this.workerFile;
    const worker = new Worker(source, { eval: fromSource });
    // The extension host (or a test) ends when its own work does, not when the reader is idle.
    worker.unref();
    let lastError: Error | undefined;
    worker.on('message', (response: ReaderResponse) => this.settle(response));
    worker.on('error', (e) => {
      lastError = e;
    });
    worker.on('exit', (code) => {
      this.fail(
        worker,
        `the datastore reader stopped (exit code ${code}${lastError ? `: ${lastError.message}` : ''}); it restarts with the next request`,
      );
    });
    this.worker = worker;
    return worker;
  }

  private settle(response: ReaderResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    clearTimeout(pending.timer);
    if ('error' in response) {
      const e = new Error(response.error.message);
      e.name = response.error.name;
      pending.reject(e);
    } else {
      pending.resolve(response.result);
    }
  }

  /** The worker cannot be trusted any more: every request it holds fails, and it is stopped. */
  private fail(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`${message} (while reading '${pending.op}')`));
      this.pending.delete(id);
    }
    void worker.terminate();
  }

  dispose(): void {
    if (this.worker) this.fail(this.worker, 'the datastore reader was closed');
  }
}

function defaultWorkerFile(): string {
  return __filename.endsWith('.ts') ? join(__dirname, 'worker.ts') : join(__dirname, 'datastoreReader.js');
}
