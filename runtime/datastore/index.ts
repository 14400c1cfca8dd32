import { join, resolve } from 'node:path';
import { findUp, isDirectory, projectRoot } from '../config';
import { Datastore } from './datastore';
import { LocalDatastore } from './local';
import { isS3Root, projectDatastoreConfig, s3Settings } from './s3Config';

export type { Datastore } from './datastore';
export { isS3Root } from './s3Config';

export const DATASTORE_FOLDER = '.flowspec';

/**
 * The datastore root seen from a folder (the one definition: CLI, client API, language server and
 * extension): `FLOWSPEC_DATASTORE_ROOT`, else `datastore.root` of the nearest flowspec.config.json,
 * else the nearest `.flowspec/` in the folder or an ancestor (as Metaflow finds `.metaflow`), else
 * `.flowspec/` in the project root (the nearest folder holding flowspec.config.json or
 * package.json), else in the folder itself. So `cd flows && flowspec runs` and a script at the
 * project root see the same runs. Relative paths are relative to `from`; s3:// roots stay as given.
 */
export function datastoreRoot(from = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const given = env.FLOWSPEC_DATASTORE_ROOT?.trim();
  if (given) return isS3Root(given) ? given : resolve(from, given);
  const configured = projectDatastoreConfig(from)?.root;
  if (configured) return configured;
  const holder = findUp(from, (dir) => isDirectory(join(dir, DATASTORE_FOLDER))) ?? projectRoot(from) ?? resolve(from);
  return join(holder, DATASTORE_FOLDER);
}

/** The backend for a root: `s3://bucket/prefix` is an S3-compatible store, anything else a folder. */
export function openDatastore(root = datastoreRoot()): Datastore {
  if (isS3Root(root)) {
    // One per root and process: each holds a worker thread with an S3 client and its connections.
    const settings = s3Settings(root);
    const id = JSON.stringify(settings);
    let store = s3Stores.get(id);
    if (!store) {
      // Loaded only for s3:// roots; the AWS SDK itself lives in a worker thread (dist/s3worker.js).
      const { S3Datastore } = require('./s3') as typeof import('./s3');
      s3Stores.set(id, (store = new S3Datastore(settings)));
    }
    return store;
  }
  return new LocalDatastore(root);
}

const s3Stores = new Map<string, Datastore>();
