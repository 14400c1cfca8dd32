// `flowspec init [DIR]`: the scaffolded project runs at once; existing files are never overwritten.
import * as assert from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';

const SCAFFOLD = [
  'package.json',
  'tsconfig.json',
  'flows/hello.ts',
  'flows/hello.params.yaml',
  'flows/hello.config.json',
  'test/hello.test.mjs',
  '.gitignore',
  '.vscode/extensions.json',
];

describe('flowspec init', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'flowspec-init-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  /** The CLI in `cwd` with the datastore rule of a user's shell (no FLOWSPEC_DATASTORE_ROOT). */
  const cli = (args: string[], cwd = root) => runCli(args, '', { FLOWSPEC_DATASTORE_ROOT: '' }, cwd);

  it('scaffolds a project whose example flow runs with its params file, and says what to do next', () => {
    const init = cli(['init', 'my-flows']);
    assert.strictEqual(init.code, 0, init.stderr);
    const dir = path.join(root, 'my-flows');
    for (const f of SCAFFOLD) assert.ok(init.stdout.includes(`  ${f}\n`), `lists ${f}:\n${init.stdout}`);
    assert.match(init.stdout, /Next:\n {2}cd my-flows\n {2}npm install/);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const own = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    assert.strictEqual(pkg.name, 'my-flows');
    // Run from this checkout, the CLI's package is this folder: `npm install` would link it.
    assert.strictEqual(pkg.devDependencies.flowspec, `file:${path.relative(dir, path.resolve(__dirname, '../..'))}`);
    assert.strictEqual(pkg.scripts['flow:run'], 'flowspec run flows/hello.ts --params flows/hello.params.yaml');
    assert.strictEqual(pkg.scripts['flow:check'], 'flowspec check flows/hello.ts');
    assert.deepStrictEqual(JSON.parse(readFileSync(path.join(dir, '.vscode/extensions.json'), 'utf8')), {
      recommendations: [`${own.publisher}.${own.name}`],
    });
    assert.deepStrictEqual(readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n').filter(Boolean), [
      'node_modules/',
      '.flowspec/',
      '.flowspec-types/',
    ]);
    const tsconfig = JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')).compilerOptions;
    assert.strictEqual(tsconfig.strict, true);
    assert.strictEqual(tsconfig.experimentalDecorators, undefined, 'standard decorators');

    // What `npm run flow:run` runs, from the project folder.
    const run = cli(pkg.scripts['flow:run'].split(' ').slice(1), dir);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.match(run.stdout, /\[1\/end\/\d+ \(pid \d+\)\] 3 greetings: HI, ADA! HI, GRACE! HI, LINUS!/);
    assert.match(run.stdout, /Done! Run HelloFlow\/1 finished: 9 tasks/);
    const check = cli(pkg.scripts['flow:check'].split(' ').slice(1), dir);
    assert.strictEqual(check.code, 0, check.stdout + check.stderr);
  });

  it('refuses to overwrite an existing file: one line naming it, exit 2, nothing written', () => {
    mkdirSync(path.join(root, 'flows'));
    writeFileSync(path.join(root, 'flows/hello.ts'), '// mine\n');
    const r = cli(['init']);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(
      r.stderr,
      `flowspec: ${path.join('.', 'flows/hello.ts')} already exists: init writes only new files; run it in another folder, or move that file away\n`,
    );
    assert.strictEqual(r.stdout, '');
    assert.deepStrictEqual(readdirSync(root).sort(), ['flows']);
    assert.deepStrictEqual(readdirSync(path.join(root, 'flows')), ['hello.ts']);
    assert.strictEqual(readFileSync(path.join(root, 'flows/hello.ts'), 'utf8'), '// mine\n');
  });

  it('scaffolds into a folder that already holds unrelated files, leaving them alone', () => {
    writeFileSync(path.join(root, 'README.md'), '# data\n');
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src/util.ts'), 'export const x = 1;\n');
    const r = cli(['init', '.']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /cd /, 'no cd into the folder it is already in');
    for (const f of SCAFFOLD) assert.ok(existsSync(path.join(root, f)), f);
    assert.strictEqual(readFileSync(path.join(root, 'README.md'), 'utf8'), '# data\n');
    assert.strictEqual(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).name, path.basename(root).toLowerCase());
  });

  it('refuses a second folder argument with its usage', () => {
    const r = cli(['init', 'a', 'b']);
    assert.deepStrictEqual([r.code, r.stderr], [2, 'flowspec: usage: flowspec init [DIR]\n']);
  });
});
