// The tsconfig.json of a user's strict TypeScript project (node16 modules), for tests that
// type-check code against the package as a user's project would.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './cli';

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

/**
 * The tsconfig.json of a project whose `flowspec` resolves to the repo's runtime sources and which
 * includes its generated artifact types (`.flowspec-types/`), for tests of those types.
 */
export function writeTypesTsconfig(project: string, extra: Record<string, unknown> = {}): void {
  const compilerOptions = {
    target: 'ES2022',
    module: 'preserve',
    moduleResolution: 'bundler',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    paths: { flowspec: [join(REPO, 'runtime/index.ts')] },
    ...extra,
  };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts', '.flowspec-types/**/*'] }));
}

/** `tsc` on one file `flow.ts` in a strict project that has this package installed (as a link to the repo). */
export function typeCheck(source: string): { code: number | null; output: string } {
  const project = mkdtempSync(join(tmpdir(), 'flowspec-types-'));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(REPO, join(project, 'node_modules/flowspec'));
  writeFileSync(join(project, 'flow.ts'), source);
  writeStrictTsconfig(project, ['flow.ts']);
  const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
  return { code: tsc.status, output: tsc.stdout + tsc.stderr };
}
