// The local-folder datastore: a folder on disk (which folder: `datastoreRoot()` in root.ts).
// Every document is written to a temporary file and renamed (or, created exclusively, linked) into
// place, so a process killed at any moment leaves either the old or the new file, never a torn one,
// and a reader never sees one half-written. A full disk is reported as a NoSpaceError naming the
// key, with the temporary file removed. Keys resolve under the root
// only; blobs are checked against their hash when read, and an existing blob is rewritten when
// it does not match the one being stored.
import {
  appendFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { DamagedError, isNoSpace, NoSpaceError, UserError } from '../errors';
import { Datastore } from './datastore';
import { checkBlob, parseDocument, sha256 } from './integrity';
import { keys } from './records';

let tmpCounter = 0;

/** Blobs up to this size are hashed when a run stores the same content again; larger ones are checked by size (and by hash when read). */
const VERIFY_EXISTING_BYTES = 4 * 1024 * 1024;

/** A key that `path` must take apart: an empty, '.' or '..' part, or a control character or backslash. */
const UNUSUAL_KEY = /^\/|\/$|\/\/|(?:^|\/)\.\.?(?:\/|$)|[\0-\x1f\\]/;

/** Runs a write into `file`'s folder, creating the folder when it is missing (then only). */
function creatingFolder(file: string, write: () => void): void {
  try {
    write();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(dirname(file), { recursive: true });
    write();
  }
}

export class LocalDatastore implements Datastore {
  readonly location: string;

  constructor(root: string) {
    this.location = resolve(root);
  }

  /** The file of a key; a key that would leave the root (`..`, an absolute part) is refused. */
  private path(key: string): string {
    // The common key (no empty, '.' or '..' part, no control character) is the root and the key joined as they are.
    if (sep === '/' && key !== '' && !UNUSUAL_KEY.test(key)) return this.location === '/' ? `/${key}` : `${this.location}/${key}`;
    const parts = key.split('/').filter((p) => p !== '');
    if (parts.some((p) => p === '..' || p === '.' || /[\0-\x1f\\]/.test(p)))
      throw new UserError(
        `'${JSON.stringify(key).slice(1, -1)}' is not a datastore key: it may not contain '..', '.' or control characters`,
      );
    const file = join(this.location, ...parts);
    if (file !== this.location && !file.startsWith(this.location + sep))
      throw new UserError(`datastore key '${key}' resolves outside ${this.location}`);
    return file;
  }

  /** Runs a write; a full disk becomes a NoSpaceError saying what was being written. */
  private writing<T>(key: string, write: () => T): T {
    try {
      return write();
    } catch (e) {
      if (isNoSpace(e)) throw new NoSpaceError(this.location, key);
      throw e;
    }
  }

  putBlob(flow: string, hash: string, bytes: Buffer): void {
    const key = keys.blob(flow, hash);
    if (!this.blobIntact(this.path(key), hash, bytes.length)) this.writeFile(key, bytes);
  }

  /** Whether a blob exists with the size (and, when small, the hash) it must have. */
  private blobIntact(file: string, hash: string, size: number): boolean {
    // A new value's blob is missing: asked without an exception, the common case costs less.
    const actual = statSync(file, { throwIfNoEntry: false })?.size;
    if (actual !== size) return false;
    return size > VERIFY_EXISTING_BYTES || sha256(readFileSync(file)) === hash;
  }

  getBlob(flow: string, hash: string): Buffer {
    const file = this.path(keys.blob(flow, hash));
    return checkBlob(readFileSync(file), hash, file);
  }

  hasBlob(flow: string, hash: string): boolean {
    return existsSync(this.path(keys.blob(flow, hash)));
  }

  writeJson(key: string, value: unknown): void {
    this.writeFile(key, JSON.stringify(value, null, 1));
  }

  writeJsonAt(keys: string[], value: unknown): void {
    // The document is written once, to a temporary file that is hard-linked under every key but the
    // last (link() is atomic and, for a key not there yet, costs no second file) and renamed to the last.
    const last = keys[keys.length - 1];
    const text = JSON.stringify(value, null, 1);
    const file = this.path(last);
    const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
    this.writing(last, () => {
      try {
        // A task's record is the first file of its folder (unless it printed): made first, it costs no failed open.
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(tmp, text);
        for (const key of keys.slice(0, -1)) {
          try {
            linkSync(tmp, this.path(key));
          } catch (e) {
            // A key written before (an attempt's record rewritten as caught) is replaced, not linked.
            if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
            this.writeFile(key, text);
          }
        }
        renameSync(tmp, file);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    });
  }

  readFiles(keys: string[]): Array<Buffer | undefined> {
    return keys.map((key) => this.readFile(key));
  }

  readJson<T>(key: string): T | undefined {
    const bytes = this.readFile(key);
    return bytes === undefined ? undefined : parseDocument<T>(bytes, this.path(key));
  }

  createExclusive(key: string, value: unknown): boolean {
    // The whole document is written to a temporary file first, then linked into place: link()
    // fails when the key exists, and a reader never sees the document empty or half-written.
    const file = this.path(key);
    const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
    return this.writing(key, () => {
      try {
        creatingFolder(file, () => writeFileSync(tmp, JSON.stringify(value)));
        linkSync(tmp, file);
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e;
      } finally {
        rmSync(tmp, { force: true });
      }
    });
  }

  writeFile(key: string, bytes: Buffer | string): void {
    const file = this.path(key);
    const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
    this.writing(key, () => {
      try {
        creatingFolder(file, () => writeFileSync(tmp, bytes));
        renameSync(tmp, file);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    });
  }

  readFile(key: string): Buffer | undefined {
    try {
      return readFileSync(this.path(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      // A folder where a document belongs: the store is damaged there, like an unreadable document.
      if ((e as NodeJS.ErrnoException).code === 'EISDIR')
        throw new DamagedError(`damaged record ${this.path(key)}: a folder, not a file`, this.path(key));
      throw e;
    }
  }

  append(key: string, text: string | Buffer): void {
    const file = this.path(key);
    this.writing(key, () => creatingFolder(file, () => appendFileSync(file, text)));
  }

  list(prefix: string): string[] {
    try {
      return readdirSync(this.path(prefix))
        .filter((n) => !n.endsWith('.tmp'))
        .sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw e;
    }
  }

  listMany(prefixes: string[]): string[][] {
    return prefixes.map((prefix) => this.list(prefix));
  }

  remove(prefix: string): void {
    rmSync(this.path(prefix), { recursive: true, force: true });
  }

  localPath(key: string): string {
    return this.path(key);
  }
}
