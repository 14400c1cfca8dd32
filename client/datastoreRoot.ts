// Which datastore the editor reads and the runs it starts write to. Pure (no vscode import),
// unit-tested in test/client/datastoreRoot.test.ts; applied on the datastore reader's thread
// (ReaderOps.folderFacts), since it walks parent folders and reads flowspec.config.json.
import * as path from 'node:path';
import { datastoreRootOrLocal } from '../runtime/datastore/root';
import { isS3Root } from '../runtime/datastore/s3Config';

/**
 * The datastore of a workspace folder: the `flowspec.datastoreRoot` setting, else the CLI's rule
 * for a command run in that folder (the runtime's `datastoreRoot`: FLOWSPEC_DATASTORE_ROOT, the
 * project's flowspec.config.json, its `.flowspec/`), so the Runs view shows what `flowspec runs`
 * there shows. A relative path is relative to the folder; an `s3://bucket/prefix` root is kept as
 * it is. A broken flowspec.config.json counts as none here (the CLI names it when it runs).
 */
export function resolveDatastoreRoot(folder: string, setting: string | undefined): string {
  const root = setting?.trim() || datastoreRootOrLocal(folder);
  return isS3Root(root) ? root : path.resolve(folder, root);
}
