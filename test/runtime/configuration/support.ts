// A user's project in a temp folder outside the repo (package.json, tsconfig.json and the given
// files), for the configuration suites: flows run there as users run theirs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function userProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-config-'));
  const all: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'user-project', private: true }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'commonjs' } }),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
