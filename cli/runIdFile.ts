// `--run-id-file F` (run, resume, init-run): the new run's id written to F, for scripts. The
// folder is checked before the run is created, so a bad path refuses the command up front.
import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../runtime/errors';

export interface RunIdFile { write(runId: string): void }

export function runIdFile(path: string | undefined): RunIdFile {
  if (path === undefined) return { write: () => {} };
  const folder = dirname(resolve(path));
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError(`--run-id-file ${path}: folder ${folder} does not exist; create it or name a file in an existing folder`);
  }
  return {
    write(runId) {
      try {
        writeFileSync(path, runId);
      } catch (e) {
        throw new UserError(`--run-id-file ${path}: cannot write the run id ${runId}: ${(e as Error).message}`);
      }
    },
  };
}
