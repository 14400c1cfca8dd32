// `flowspec init [DIR]`: scaffolds a project in DIR (default: the current folder) that runs and
// type-checks at once. Writes only new files: if any of them exists, nothing is written.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../runtime/errors';
import { Command, defineSpec, parse, usageError } from '../command';
import manifest from '../../package.json';
import { dependencySpec } from '../installedFrom';
import { EXAMPLE_FLOW, EXAMPLE_TEST, projectFiles } from '../templates';

const spec = defineSpec({
  name: 'init',
  positionals: '[DIR]',
  options: {},
  summary: 'a new project in DIR (default `.`) that runs and type-checks at once',
  details:
    'package.json (flowspec as a devDependency, from where this CLI was installed, scripts `flow:run`, `flow:check`, `test`), a strict tsconfig.json with standard decorators, `flows/hello.ts` (a parameter, a config, a foreach, a branch), its config file and params file, `test/hello.test.mjs` (a test of it with the Runner API), `.gitignore`, `.vscode/extensions.json`; refuses (exit 2, nothing written) if any of these files exists',
});

async function main(argv: string[]): Promise<number> {
  const { positionals } = parse(spec, argv);
  if (positionals.length > 1) throw usageError(spec);
  const given = positionals[0] ?? '.';
  const dir = path.resolve(given);
  const files = projectFiles(packageName(dir), dependencySpec(manifest.name, manifest.version, dir));
  const existing = Object.keys(files).find((rel) => existsSync(path.join(dir, rel)));
  if (existing) {
    throw new UserError(
      `${path.join(given, existing)} already exists: init writes only new files; run it in another folder, or move that file away`,
    );
  }
  writeAll(dir, files);
  process.stdout.write(report(given, Object.keys(files)));
  return 0;
}

/** Writes every file or none: on a failure, removes what it wrote and says which file failed. */
function writeAll(dir: string, files: Record<string, string>): void {
  const written: string[] = [];
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text, { flag: 'wx' });
      written.push(file);
    } catch (e) {
      for (const f of written) rmSync(f, { force: true });
      throw new UserError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; nothing was written`);
    }
  }
}

/** A valid npm package name from the folder's name. */
function packageName(dir: string): string {
  const name = path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'flows';
}

function report(given: string, files: string[]): string {
  const cd = path.resolve(given) === process.cwd() ? [] : [`  cd ${given}`];
  return [
    `Created a FlowSpec project in ${given}:`,
    ...files.map((f) => `  ${f}`),
    '',
    'Next:',
    ...cd,
    "  npm install                 # flowspec, TypeScript and Node's types",
    '  npm run flow:run            # runs ' + EXAMPLE_FLOW + ' with its params file',
    '  npm test                    # ' + EXAMPLE_TEST + ': the flow tested with the Runner API',
    '  npx flowspec runs           # the runs so far',
    '  code .                      # VS Code with the FlowSpec extension: ▶ Run above the flow',
    '',
  ].join('\n');
}

export const command: Command = { spec, main };
