// The datastore reader's thread (bundled on its own as dist/datastoreReader.js): answers the
// extension host's requests (protocol.ts) one at a time with queries.ts. Only this thread and
// the S3 datastore's own worker ever wait for the datastore.
import { parentPort } from 'node:worker_threads';
import type { ReaderRequest, ReaderResponse } from './protocol';
import { queries } from './queries';

function answer({ id, op, args }: ReaderRequest): ReaderResponse {
  try {
    const query = Object.hasOwn(queries, op) ? (queries[op] as (...a: unknown[]) => unknown) : undefined;
    if (!query) throw new Error(`the datastore reader has no operation '${op}'`);
    return { id, result: query(...args) };
  } catch (e) {
    const err = e as Error;
    return { id, error: { name: err?.name || 'Error', message: err?.message || String(e) } };
  }
}

parentPort?.on('message', (request: ReaderRequest) => parentPort!.postMessage(answer(request)));
