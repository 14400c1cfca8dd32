// A synchronous call into asynchronous code: the S3 client runs in a worker thread, and the
// calling thread blocks on a shared flag with Atomics.wait until the worker has posted the answer.
// The Datastore interface is synchronous (a step reads `this.x` through a plain getter), so this is
// how a network backend answers it. The same technique as the `synckit` package, in ~80 lines we
// control: the worker is our own esbuild bundle (dist/s3worker.js), loaded only when an s3:// root
// is opened, so the AWS SDK never costs start-up time to a local run.
import { createRequire } from 'node:module';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

export interface BridgeRequest {
  id: number;
  op: string;
  args: unknown[];
}
export type BridgeResponse = { id: number; result: unknown } | { id: number; error: { name: string; message: string; code?: string } };

/** Longest a single call may take (a multi-gigabyte blob on a slow link); then the call throws. */
const CALL_TIMEOUT_MS = Number(process.env.FLOWSPEC_S3_TIMEOUT_MS) || 15 * 60_000;
const START_TIMEOUT_MS = 60_000;

export class SyncBridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** [0]: 1 when an answer is waiting. */
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 0;

  constructor(workerFile: string, workerData: unknown) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const fromSource = workerFile.endsWith('.ts');
    // Under tsx (tests import the runtime from source) the worker registers tsx before loading.
    const source = fromSource
      ? `require(${JSON.stringify(createRequire(__filename).resolve('tsx/cjs'))}); require(${JSON.stringify(workerFile)});`
      : workerFile;
    this.worker = new Worker(source, {
      eval: fromSource,
      workerData: { data: workerData, port: port2, flag: this.flag },
      transferList: [port2],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    // Neither the worker nor its port keeps the process alive: the process ends when its own work does.
    this.worker.unref();
    this.port.unref();
    this.call('ping', [], START_TIMEOUT_MS);
  }

  call<T>(op: string, args: unknown[], timeoutMs = CALL_TIMEOUT_MS): T {
    const id = ++this.nextId;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ id, op, args } satisfies BridgeRequest);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.flag, 0, 0, left) === 'timed-out') {
        throw new Error(`the S3 datastore did not answer '${op}' within ${Math.round(timeoutMs / 1000)} s`);
      }
      const received = receiveMessageOnPort(this.port);
      Atomics.store(this.flag, 0, 0);
      if (!received) continue;
      const message = received.message as BridgeResponse;
      if (message.id !== id) continue;
      if ('error' in message) {
        const e = new Error(message.error.message);
        e.name = message.error.name;
        (e as NodeJS.ErrnoException).code = message.error.code;
        throw e;
      }
      return message.result as T;
    }
  }

  close(): void {
    void this.worker.terminate();
  }
}

/** The worker side: answers each request with `handle`, then raises the flag. */
export function serveBridge(port: MessagePort, flag: Int32Array, handle: (op: string, args: unknown[]) => Promise<unknown>): void {
  const answer = async ({ id, op, args }: BridgeRequest): Promise<void> => {
    let response: BridgeResponse;
    try {
      response = { id, result: op === 'ping' ? 'pong' : await handle(op, args) };
    } catch (e) {
      const err = e as Error & { Code?: string; code?: string };
      response = { id, error: { name: err.name || 'Error', message: err.message || String(e), code: err.Code ?? err.code } };
    }
    port.postMessage(response);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  port.on('message', (request: BridgeRequest) => void answer(request));
}
