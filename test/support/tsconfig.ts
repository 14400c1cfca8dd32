// The tsconfig.json of a user's strict TypeScript project (node16 modules), for tests that
// type-check code against the package as a user's project would.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeStrictTsconfig(project: string, files: string[]): void {
  const compilerOptions = {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
}
