// Which datastore the editor reads and the runs it starts write to. Pure (no vscode import),
// unit-tested in test/unit/datastoreRoot.test.ts.
import * as path from 'node:path';
import { isS3Root } from '../runtime/datastore';
import { projectDatastoreConfig } from '../runtime/datastore/s3Config';

/**
 * The datastore of a workspace folder: the `flowspec.datastoreRoot` setting, else
 * FLOWSPEC_DATASTORE_ROOT, else `datastore.root` of the project's flowspec.config.json, else
 * `.flowspec/` in the folder — what the CLI does there, with the editor setting first. A relative
 * path is relative to the folder; an `s3://bucket/prefix` root is kept as it is.
 */
export function resolveDatastoreRoot(folder: string, setting: string | undefined, env: NodeJS.ProcessEnv = process.env, projectRoot = configuredRoot): string {
  const given = setting?.trim() || env.FLOWSPEC_DATASTORE_ROOT?.trim();
  if (given) return isS3Root(given) ? given : path.resolve(folder, given);
  return projectRoot(folder) ?? path.join(folder, '.flowspec');
}

/** `datastore.root` of flowspec.config.json in the folder or above (absolute, or s3://); a broken file counts as none. */
function configuredRoot(folder: string): string | undefined {
  try { return projectDatastoreConfig(folder)?.root; } catch { return undefined; }
}
