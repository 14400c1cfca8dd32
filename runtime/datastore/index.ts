import { resolve } from 'node:path';
import { Datastore } from './datastore';
import { LocalDatastore } from './local';

export type { Datastore } from './datastore';

/** The datastore root for this process: `FLOWSPEC_DATASTORE_ROOT`, else `.flowspec/` in the cwd. */
export function datastoreRoot(cwd = process.cwd()): string {
  return process.env.FLOWSPEC_DATASTORE_ROOT || resolve(cwd, '.flowspec');
}

export function openDatastore(root = datastoreRoot()): Datastore {
  return new LocalDatastore(root);
}
