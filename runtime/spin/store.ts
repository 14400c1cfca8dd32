// Where spun tasks live: apart from runs, in a store of their own that reads through to the main
// datastore. A spun task reads its inputs (the original run's records, blobs and code) from the
// main datastore and writes everything it makes (its spin "run", record, logs, cards, new blobs)
// to the spin store only, so spins never show in `runs` and never become a resume origin. Listing
// shows the spin store alone: a client Flow over it sees the spins as runs (`spin-1`, `spin-2`...).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatastore } from '../datastore';
import type { Datastore } from '../datastore';
import { LocalDatastore } from '../datastore/local';

/** The folder (or object-store prefix) under a datastore root that holds its spins. */
export const SPIN_FOLDER = '.spins';

/** Run ids of spins: `spin-1`, `spin-2`, ... (never a number, so never mistaken for a run). */
export const SPIN_ID = /^spin-(\d+)$/;

class SpinDatastore implements Datastore {
  constructor(
    private readonly spins: Datastore,
    private readonly main: Datastore,
  ) {}

  get location(): string {
    return this.spins.location;
  }

  putBlob(flow: string, hash: string, bytes: Buffer): void {
    // Content-addressed: a value the main datastore has already is not stored twice.
    if (!this.main.hasBlob(flow, hash)) this.spins.putBlob(flow, hash, bytes);
  }

  getBlob(flow: string, hash: string): Buffer {
    return this.spins.hasBlob(flow, hash) ? this.spins.getBlob(flow, hash) : this.main.getBlob(flow, hash);
  }

  hasBlob(flow: string, hash: string): boolean {
    return this.spins.hasBlob(flow, hash) || this.main.hasBlob(flow, hash);
  }

  writeJson(key: string, value: unknown): void {
    this.spins.writeJson(key, value);
  }

  writeJsonAt(keys: string[], value: unknown): void {
    this.spins.writeJsonAt(keys, value);
  }

  readJson<T>(key: string): T | undefined {
    return this.spins.readJson<T>(key) ?? this.main.readJson<T>(key);
  }

  createExclusive(key: string, value: unknown): boolean {
    return this.spins.createExclusive(key, value);
  }

  writeFile(key: string, bytes: Buffer | string): void {
    this.spins.writeFile(key, bytes);
  }

  readFile(key: string): Buffer | undefined {
    return this.spins.readFile(key) ?? this.main.readFile(key);
  }

  readFiles(keys: string[]): Array<Buffer | undefined> {
    return keys.map((key) => this.readFile(key));
  }

  append(key: string, text: string | Buffer): void {
    this.spins.append(key, text);
  }

  list(prefix: string): string[] {
    return this.spins.list(prefix);
  }

  listMany(prefixes: string[]): string[][] {
    return this.spins.listMany(prefixes);
  }

  remove(prefix: string): void {
    this.spins.remove(prefix);
  }

  localPath(key: string): string | undefined {
    return this.spins.readFile(key) !== undefined ? this.spins.localPath(key) : this.main.localPath(key);
  }
}

/** In the environment of a spin's task process: the location of the spin store (the datastore root is the main datastore's). */
export const SPIN_STORE_ENV = 'FLOWSPEC_SPIN_STORE';

/**
 * The datastore a task process writes to: the configured one, or for a spin's task (a worker the
 * spin started) its spin store over it. The variable is read once and removed, so that nothing the
 * step starts (a run of another flow) inherits it.
 */
export function taskDatastore(): Datastore {
  const spins = process.env[SPIN_STORE_ENV];
  delete process.env[SPIN_STORE_ENV];
  const main = openDatastore();
  return spins ? new SpinDatastore(openDatastore(spins), main) : main;
}

/** The persistent spin store of a datastore: `<root>/.spins`, reading through to the datastore. */
export function spinStore(main: Datastore): Datastore {
  return new SpinDatastore(openDatastore(`${main.location}/${SPIN_FOLDER}`), main);
}

/** A spin store in a temporary folder (`--no-persist`): `discard()` removes everything the spin wrote. */
export function scratchSpinStore(main: Datastore): { store: Datastore; discard(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'flowspec-spin-'));
  return { store: new SpinDatastore(new LocalDatastore(folder), main), discard: () => rmSync(folder, { recursive: true, force: true }) };
}
