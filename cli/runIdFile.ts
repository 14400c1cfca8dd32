// `--run-id-file F` (run, resume, init-run): the new run's id written to F, for scripts. The
// folder is checked before the run is created, so a bad path refuses the command up front.
import { writeFileSync } from 'node:fs';
import { UserError } from '../runtime/errors';
import { checkOutputFile } from './args';

export interface RunIdFile {
  write(runId: string): void;
}

export function runIdFile(path: string | undefined): RunIdFile {
  if (path === undefined) return { write: () => {} };
  checkOutputFile('--run-id-file', path);
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
