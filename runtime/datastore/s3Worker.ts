// The worker thread behind the S3 datastore (bundled on its own as dist/s3worker.js): owns the
// AWS SDK client and answers the synchronous bridge's requests. Keys arrive already prefixed.
import { workerData } from 'node:worker_threads';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { serveBridge } from './s3Bridge';
import type { S3Settings } from './s3Config';

/** Requests in flight at once for getMany and listMany: a listing of 1,000 runs makes a few thousand, each a round trip. */
const CONCURRENT_REQUESTS = 64;

const settings = workerData.data as S3Settings;
const client = new S3Client({
  region: settings.region,
  forcePathStyle: settings.forcePathStyle,
  ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  // The SDK's sockets (50 by default) would queue a batch's requests behind each other.
  requestHandler: { httpAgent: { maxSockets: CONCURRENT_REQUESTS }, httpsAgent: { maxSockets: CONCURRENT_REQUESTS } },
});
const Bucket = settings.bucket;

const isMissing = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404;
};

async function get(key: string): Promise<Uint8Array | null> {
  try {
    const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
    return await r.Body!.transformToByteArray();
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

async function head(key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket, Key: key }));
    return true;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

/** Puts an object; with `ifAbsent`, conditionally (If-None-Match: *): false when it existed. */
async function put(key: string, body: Uint8Array, ifAbsent = false): Promise<boolean> {
  try {
    await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ...(ifAbsent ? { IfNoneMatch: '*' } : {}) }));
    return true;
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // 412: the object exists; 409: a concurrent conditional write won.
    if (ifAbsent && (status === 412 || status === 409)) return false;
    throw e;
  }
}

/** `read` of every item, in order, CONCURRENT_REQUESTS at a time. */
async function concurrently<T>(items: string[], read: (item: string) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(items.length);
  let next = 0;
  const reader = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await read(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_REQUESTS, items.length) }, reader));
  return out;
}

/** Several objects, in order (null where missing). */
const getMany = (keys: string[]): Promise<Array<Uint8Array | null>> => concurrently(keys, get);

/** The names under several prefixes, in order. */
const listMany = (prefixes: string[]): Promise<string[][]> => concurrently(prefixes, list);

/** Names directly under `prefix` (which ends with '/', or is empty for the bucket's top). */
async function list(prefix: string): Promise<string[]> {
  const names = new Set<string>();
  let ContinuationToken: string | undefined;
  do {
    const r = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, Delimiter: '/', ContinuationToken }));
    for (const p of r.CommonPrefixes ?? []) if (p.Prefix) names.add(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
    for (const o of r.Contents ?? []) if (o.Key && o.Key !== prefix) names.add(o.Key.slice(prefix.length));
    ContinuationToken = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return [...names].filter(Boolean).sort();
}

/** Deletes `key` and everything under `key/`. */
async function remove(key: string): Promise<void> {
  const doomed: string[] = [key];
  let ContinuationToken: string | undefined;
  do {
    const r = await client.send(new ListObjectsV2Command({ Bucket, Prefix: `${key}/`, ContinuationToken }));
    for (const o of r.Contents ?? []) if (o.Key) doomed.push(o.Key);
    ContinuationToken = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (ContinuationToken);
  for (let i = 0; i < doomed.length; i += 1000) {
    await client.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: doomed.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }),
    );
  }
}

const ops: Record<string, (...args: any[]) => Promise<unknown>> = { get, getMany, head, put, list, listMany, remove };

serveBridge(workerData.port, workerData.flag, (op, args) => {
  const fn = ops[op];
  if (!fn) throw new Error(`unknown S3 operation '${op}'`);
  return fn(...args);
});
