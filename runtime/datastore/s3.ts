// The S3-compatible datastore: the same layout as the local folder (records.ts), one object per
// key under `s3://bucket/prefix/`. Guarantees, object by object:
// - a PUT replaces an object atomically, so every document write is atomic, as the interface asks;
// - blobs are content-addressed and written once: a HEAD first, a PUT only when missing;
// - createExclusive is a conditional PUT (If-None-Match: *). Servers without conditional writes
//   (older MinIO, s3rver) ignore the header; there a HEAD before the PUT leaves a window of one
//   round trip in which two writers can both win (see docs/scale-out.md);
// - logs, the only files written in place, are buffered and rewritten whole: at most once a
//   second, and always before any other write of this process, so a task's logs are stored
//   before its record.
// Calls are synchronous through a worker thread (s3Bridge.ts) that owns the AWS SDK client.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { userCacheDir } from '../userCache';
import { dirname, join } from 'node:path';
import type { Datastore } from './datastore';
import { checkBlob, parseDocument } from './integrity';
import { keys } from './records';
import { SyncBridge } from './s3Bridge';
import type { S3Settings } from './s3Config';

const LOG_FLUSH_MS = 1000;
let tmpCounter = 0;

function workerFile(): string {
  // From source (tests under tsx) the worker is the .ts next to this file; bundled, dist/s3worker.js.
  return __filename.endsWith('.ts') ? join(__dirname, 's3Worker.ts') : join(__dirname, 's3worker.js');
}

/** Where code packages downloaded from S3 are kept (they are immutable: named by content). */
function cacheRoot(): string {
  return process.env.FLOWSPEC_S3_CACHE_DIR || join(userCacheDir(), 's3');
}

const toBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export class S3Datastore implements Datastore {
  readonly location: string;
  private readonly bridge: SyncBridge;
  /** Log content this process has written (it is the only writer of its logs). */
  private readonly logs = new Map<string, Buffer>();
  private readonly pendingLogs = new Map<string, Buffer[]>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** Local copies of immutable objects (code packages), by key. */
  private readonly cacheDir: string;

  constructor(private readonly settings: S3Settings) {
    this.location = `s3://${settings.bucket}${settings.prefix ? `/${settings.prefix}` : ''}`;
    this.cacheDir = join(cacheRoot(), settings.bucket, ...settings.prefix.split('/').filter(Boolean));
    this.bridge = new SyncBridge(workerFile(), settings);
  }

  private objectKey(key: string): string {
    const clean = key.replace(/^\/+|\/+$/g, '');
    return this.settings.prefix ? (clean ? `${this.settings.prefix}/${clean}` : this.settings.prefix) : clean;
  }

  private get(key: string): Buffer | undefined {
    const bytes = this.bridge.call<Uint8Array | null>('get', [this.objectKey(key)]);
    return bytes ? toBuffer(bytes) : undefined;
  }

  private head(key: string): boolean {
    return this.bridge.call<boolean>('head', [this.objectKey(key)]);
  }

  private put(key: string, bytes: Buffer | string, ifAbsent = false): boolean {
    this.flushLogs();
    return this.bridge.call<boolean>('put', [this.objectKey(key), typeof bytes === 'string' ? Buffer.from(bytes) : bytes, ifAbsent]);
  }

  putBlob(flow: string, hash: string, bytes: Buffer): void {
    const key = keys.blob(flow, hash);
    if (!this.head(key)) this.put(key, bytes);
  }

  getBlob(flow: string, hash: string): Buffer {
    const key = keys.blob(flow, hash);
    const bytes = this.get(key);
    if (!bytes) throw new Error(`blob ${hash} of ${flow} is missing from ${this.location}`);
    return checkBlob(bytes, hash, `${this.location}/${key}`);
  }

  hasBlob(flow: string, hash: string): boolean {
    return this.head(keys.blob(flow, hash));
  }

  writeJson(key: string, value: unknown): void {
    this.put(key, JSON.stringify(value, null, 1));
  }

  writeJsonAt(keys: string[], value: unknown): void {
    const text = JSON.stringify(value, null, 1);
    for (const key of keys) this.put(key, text);
  }

  readJson<T>(key: string): T | undefined {
    const bytes = this.readFile(key);
    return bytes === undefined ? undefined : parseDocument<T>(bytes, `${this.location}/${key}`);
  }

  createExclusive(key: string, value: unknown): boolean {
    if (this.head(key)) return false;
    return this.put(key, JSON.stringify(value), true);
  }

  writeFile(key: string, bytes: Buffer | string): void {
    this.put(key, bytes);
    if (this.isImmutable(key)) this.writeCache(key, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  }

  readFile(key: string): Buffer | undefined {
    if (this.pendingLogs.has(key)) this.flushLogs();
    return this.get(key);
  }

  readFiles(keys: string[]): Array<Buffer | undefined> {
    if (!keys.length) return [];
    if (keys.some((key) => this.pendingLogs.has(key))) this.flushLogs();
    const all = this.bridge.call<Array<Uint8Array | null>>('getMany', [keys.map((key) => this.objectKey(key))]);
    return all.map((bytes) => (bytes ? toBuffer(bytes) : undefined));
  }

  append(key: string, text: string | Buffer): void {
    const list = this.pendingLogs.get(key) ?? [];
    list.push(typeof text === 'string' ? Buffer.from(text) : text);
    this.pendingLogs.set(key, list);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flushLogs(), LOG_FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  /** Stores the buffered log output. Called before every other write, and by a timer. */
  flushLogs(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (!this.pendingLogs.size) return;
    const pending = [...this.pendingLogs];
    this.pendingLogs.clear();
    for (const [key, parts] of pending) {
      const before = this.logs.get(key) ?? this.get(key) ?? Buffer.alloc(0);
      const content = Buffer.concat([before, ...parts]);
      this.bridge.call('put', [this.objectKey(key), content, false]);
      this.logs.set(key, content);
    }
  }

  /** The object-key prefix that lists what is under `prefix` (a folder's, ending with '/'; '' for the top). */
  private listingPrefix(prefix: string): string {
    const key = this.objectKey(prefix);
    return key ? `${key}/` : '';
  }

  list(prefix: string): string[] {
    return this.bridge.call<string[]>('list', [this.listingPrefix(prefix)]);
  }

  listMany(prefixes: string[]): string[][] {
    if (!prefixes.length) return [];
    return this.bridge.call<string[][]>('listMany', [prefixes.map((prefix) => this.listingPrefix(prefix))]);
  }

  remove(prefix: string): void {
    this.flushLogs();
    this.bridge.call('remove', [this.objectKey(prefix)]);
  }

  /**
   * A local copy of an immutable object (a code package and its source map), downloaded once into
   * the cache folder. For a key that does not exist yet, the path it will have (bundle.ts stages
   * there so source maps point at the same relative places).
   */
  localPath(key: string): string {
    const file = join(this.cacheDir, ...key.split('/'));
    if (!this.isImmutable(key) || existsSync(file)) return file;
    const bytes = this.get(key);
    if (bytes) {
      const map = this.get(`${key}.map`);
      if (map) this.writeCache(`${key}.map`, map);
      this.writeCache(key, bytes);
    }
    return file;
  }

  private isImmutable(key: string): boolean {
    return key.startsWith('.code/') && !key.startsWith('.code/staging/');
  }

  private writeCache(key: string, bytes: Buffer): void {
    const file = join(this.cacheDir, ...key.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  }
}
