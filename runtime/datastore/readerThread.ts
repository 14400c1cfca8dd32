// A thread that reads the datastore for one that must not wait on it: the extension host's
// datastore reader (client/reader/) and the language server's last-run values (server/lastRun/).
// Over s3:// every synchronous read of the client API blocks its thread (Atomics.wait), so such
// reads run on one long-lived worker thread (started on the first request), asked with typed
// requests that return promises. A request that gets no answer in time, or a worker that dies,
// fails with a message that says so; the worker is then gone and the next request starts a new one.
import { createRequire } from 'node:module';
import { parentPort, Worker } from 'node:worker_threads';

/** Caller → worker. */
export interface ReaderRequest {
  id: number;
  op: string;
  args: unknown[];
}
/** Worker → caller. */
export type ReaderResponse = { id: number; result: unknown } | { id: number; error: { name: string; message: string } };

/** The operations a reader answers: name → function of plain-data arguments to a plain-data answer. */
export type ReaderOpsOf<Ops> = { [K in keyof Ops]: (...args: never[]) => unknown };

export interface ReaderThreadOptions {
  /** The worker's script: a bundle, or a .ts file under tsx (tests). */
  workerFile: string;
  /** Longest a request may take before the worker is restarted. */
  timeoutMs: number;
  /** What the reader is called in messages ('the datastore reader'). */
  name: string;
}

interface Pending {
  op: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class ReaderThread<Ops extends ReaderOpsOf<Ops>> {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly workerFile: string;
  private readonly timeoutMs: number;
  private readonly name: string;

  constructor(options: ReaderThreadOptions) {
    this.workerFile = options.workerFile;
    this.timeoutMs = options.timeoutMs;
    this.name = options.name;
  }

  /** Asks the worker; resolves with its answer, rejects with its error or the worker's failure. */
  request<K extends keyof Ops & string>(op: K, ...args: Parameters<Ops[K]>): Promise<ReturnType<Ops[K]>> {
    const worker = this.worker ?? this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(worker, `${this.name} did not answer within ${Math.round(this.timeoutMs / 1000)} s; it was restarted`);
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
        `${this.name} stopped (exit code ${code}${lastError ? `: ${lastError.message}` : ''}); it restarts with the next request`,
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
    if (this.worker) this.fail(this.worker, `${this.name} was closed`);
  }
}

/** The worker's side: answers each request with `queries[op](...args)`, one at a time. */
export function answerRequests(queries: object): void {
  const table = queries as Record<string, (...a: unknown[]) => unknown>;
  const answer = ({ id, op, args }: ReaderRequest): ReaderResponse => {
    try {
      const query = Object.hasOwn(table, op) ? table[op] : undefined;
      if (!query) throw new Error(`no operation '${op}'`);
      return { id, result: query(...args) };
    } catch (e) {
      const err = e as Error;
      return { id, error: { name: err?.name || 'Error', message: err?.message || String(e) } };
    }
  };
  parentPort?.on('message', (request: ReaderRequest) => parentPort!.postMessage(answer(request)));
}
