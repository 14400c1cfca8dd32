// The datastore interface every part of the runtime uses: tasks, the scheduler, the client API.
// Keys are '/'-separated paths relative to the datastore root (see layout.ts). The local-folder
// backend is local.ts; an object-store backend implements the same calls.
//
// Calls are synchronous: a step reads an artifact through a plain property (`this.x`), which
// cannot await. Backends that talk to a network answer these through a synchronous bridge.

export interface Datastore {
  /** Where the data lives, for messages (a folder path or a URL). */
  readonly location: string;
  /** Stores bytes under their content hash unless a blob with that hash exists. */
  putBlob(flow: string, hash: string, bytes: Buffer): void;
  getBlob(flow: string, hash: string): Buffer;
  hasBlob(flow: string, hash: string): boolean;
  /** Writes a JSON document atomically: readers see the old or the new content, never a part. */
  writeJson(key: string, value: unknown): void;
  /**
   * Writes one JSON document under several keys, each as writeJson would, in their order (the last
   * key last: a reader that finds it finds the others). A local folder stores the document once.
   */
  writeJsonAt(keys: string[], value: unknown): void;
  readJson<T>(key: string): T | undefined;
  /** Creates the key only if it does not exist; returns false when it already did. */
  createExclusive(key: string, value: unknown): boolean;
  writeFile(key: string, bytes: Buffer | string): void;
  readFile(key: string): Buffer | undefined;
  /** Several files at once, in order (undefined where there is none): an object store fetches them concurrently. */
  readFiles(keys: string[]): Array<Buffer | undefined>;
  /** Appends to a log; logs are the only files written in place. */
  append(key: string, text: string | Buffer): void;
  /** Names directly under a key prefix (folders and files), sorted. */
  list(prefix: string): string[];
  /** The names under each of several prefixes, in order, as list() gives them: an object store lists them concurrently. */
  listMany(prefixes: string[]): string[][];
  remove(prefix: string): void;
  /** A local path for a key, when the backend has one (code packages are required from it). */
  localPath(key: string): string | undefined;
}
