// The local-folder datastore: `FLOWSPEC_DATASTORE_ROOT` or `.flowspec/` in the current directory.
// Every document is written to a temporary file and renamed into place, so a process killed at
// any moment leaves either the old or the new file, never a torn one.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, closeSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Datastore } from './datastore';

let tmpCounter = 0;

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

  private path(key: string): string {
    return join(this.location, ...key.split('/'));
  }

  private blobKey(flow: string, hash: string): string {
    return `${flow}/blobs/${hash.slice(0, 2)}/${hash}`;
  }

  putBlob(flow: string, hash: string, bytes: Buffer): void {
    const key = this.blobKey(flow, hash);
    if (!existsSync(this.path(key))) this.writeFile(key, bytes);
  }

  getBlob(flow: string, hash: string): Buffer {
    return readFileSync(this.path(this.blobKey(flow, hash)));
  }

  hasBlob(flow: string, hash: string): boolean {
    return existsSync(this.path(this.blobKey(flow, hash)));
  }

  writeJson(key: string, value: unknown): void {
    this.writeFile(key, JSON.stringify(value, null, 1));
  }

  readJson<T>(key: string): T | undefined {
    const bytes = this.readFile(key);
    return bytes === undefined ? undefined : (JSON.parse(bytes.toString('utf8')) as T);
  }

  createExclusive(key: string, value: unknown): boolean {
    const file = this.path(key);
    mkdirSync(dirname(file), { recursive: true });
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    try { writeSync(fd, JSON.stringify(value)); } finally { closeSync(fd); }
    return true;
  }

  writeFile(key: string, bytes: Buffer | string): void {
    const file = this.path(key);
    const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
    creatingFolder(file, () => writeFileSync(tmp, bytes));
    renameSync(tmp, file);
  }

  readFile(key: string): Buffer | undefined {
    try {
      return readFileSync(this.path(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  append(key: string, text: string | Buffer): void {
    const file = this.path(key);
    creatingFolder(file, () => appendFileSync(file, text));
  }

  list(prefix: string): string[] {
    try {
      return readdirSync(this.path(prefix)).filter((n) => !n.endsWith('.tmp')).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw e;
    }
  }

  remove(prefix: string): void {
    rmSync(this.path(prefix), { recursive: true, force: true });
  }

  localPath(key: string): string {
    return this.path(key);
  }
}
