import { Datastore } from './datastore';
import { LocalDatastore } from './local';
import { datastoreRoot } from './root';
import { isS3Root, s3Settings } from './s3Config';

export type { Datastore } from './datastore';
export { isS3Root } from './s3Config';
export { DATASTORE_FOLDER, datastoreRoot } from './root';

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
