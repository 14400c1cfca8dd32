// Which datastore a folder uses: a rule about configuration (environment, project files), with no
// datastore access, so the editor applies it on its own thread (client/datastoreRoot.ts).
import { join, resolve } from 'node:path';
import { findUp, isDirectory, projectRoot } from '../config';
import { isS3Root, projectDatastoreConfig } from './s3Config';

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

/**
 * `datastoreRoot` for readers that must not fail (the editor's Runs view, its params-file checks):
 * a broken flowspec.config.json counts as none, and the runs are in `.flowspec/` in the folder
 * itself (the CLI names the broken file when it runs). `rootOf` is the rule applied (tests).
 */
export function datastoreRootOrLocal(from: string, rootOf: (from: string) => string = datastoreRoot): string {
  try {
    return rootOf(from);
  } catch {
    return join(resolve(from), DATASTORE_FOLDER);
  }
}
