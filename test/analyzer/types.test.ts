// The declarations generated for the flows of test/fixtures/types/ (compared whole with the
// *.expected.d.ts beside them; UPDATE_FIXTURES=1 rewrites them), and what TypeScript then says of
// the flows: nothing for valid ones, the artifact type error for a mistyped one.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { refreshTypes } from '../../analyzer';
import { staleTypesFiles } from '../../model/artifactTypesFiles';
import { assertGoldenText } from '../support/golden';
import { REPO } from '../support/cli';
import { writeTypesTsconfig } from '../support/tsconfig';

const FIXTURES = join(__dirname, '../fixtures/types');

/** A copy of the fixtures in a project of its own, `flowspec` resolving to the repo's runtime. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-types-'));
  cpSync(FIXTURES, dir, { recursive: true, filter: (f) => !f.endsWith('.expected.d.ts') });
  writeTypesTsconfig(dir, { typeRoots: [join(REPO, 'node_modules/@types')], types: ['node'] });
  // The project root: where a run (and the analyzer) looks for configs' default files first.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'types-fixtures', private: true }));
  return dir;
}

/** `tsc --noEmit -p dir`: its diagnostics in the project's own files, as `file(line): TScode message`. */
function typecheck(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(dir, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )!;
  const program = ts.createProgram(config.fileNames, config.options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && !relative(dir, d.file.fileName).startsWith('..'))
    .map((d) => {
      const line = d.file!.getLineAndCharacterOfPosition(d.start!).line + 1;
      return `${relative(dir, d.file!.fileName)}(${line}): TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`;
    });
}

const flowFiles = readdirSync(FIXTURES).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && /extends FlowSpec/.test(readFileSync(join(FIXTURES, f), 'utf8')),
);

describe('generated artifact types', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = project();
    refreshTypes(flowFiles.map((f) => join(dir, f)));
  });

  for (const file of flowFiles) {
    it(`${file}: the declarations`, () => {
      const generated = readFileSync(join(dir, '.flowspec-types', file.replace(/\.ts$/, '.d.ts')), 'utf8');
      assertGoldenText(join(FIXTURES, file.replace(/\.ts$/, '.expected.d.ts')), generated);
    });
  }

  /** tsc's errors in the flow with configs (the test above leaves one in branches.ts). */
  const configErrors = () => typecheck(dir).filter((e) => e.startsWith('configs.ts'));

  it('the flows type-check with them', () => {
    assert.deepEqual(typecheck(dir), []);
  });

  it('an artifact used as another type is an error in tsc; a field the user declares keeps its type', () => {
    const file = join(dir, 'branches.ts');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('console.log(this.summary.length);', 'console.log(this.summary.toFixed(1), this.value.toFixed(1));'));
    refreshTypes([file]);
    assert.deepEqual(typecheck(dir), [
      "branches.ts(40): TS2551 Property 'toFixed' does not exist on type 'string'. Did you mean 'fixed'?",
      "branches.ts(40): TS2339 Property 'toFixed' does not exist on type 'string | number'.",
    ]);
    writeFileSync(file, text.replace("this.declared = ['mine'];", 'this.declared = [1];'));
    refreshTypes([file]);
    assert.deepEqual(typecheck(dir), ["branches.ts(14): TS2322 Type 'number' is not assignable to type 'string'."]);
  });

  it("a config is typed from its default file: the file's edit makes the declarations stale, and tsc then sees its new type", () => {
    const flow = join(dir, 'configs.ts');
    const settings = join(dir, 'configs.settings.json');
    const text = readFileSync(settings, 'utf8');
    assert.deepEqual(staleTypesFiles([flow]), []);
    writeFileSync(settings, text.replace('"cpu": 4', '"cpu": "four"'));
    assert.deepEqual(staleTypesFiles([flow]), [flow], 'the header names the config file and its text');
    refreshTypes([flow]);
    assert.deepEqual(configErrors(), ["configs.ts(18): TS2322 Type 'string' is not assignable to type 'number'."]);
    writeFileSync(settings, text);
    refreshTypes([flow]);
    assert.deepEqual(configErrors(), []);
  });

  it('a config whose default file does not parse, or appears where a run looks first, leaves the declarations stale until refreshed', () => {
    const flow = join(dir, 'configs.ts');
    const yaml = join(dir, 'configs.settings.yaml');
    const text = readFileSync(yaml, 'utf8');
    writeFileSync(yaml, 'batch: [1,\n');
    assert.deepEqual(staleTypesFiles([flow]), [flow]);
    refreshTypes([flow]);
    const generated = readFileSync(join(dir, '.flowspec-types/configs.d.ts'), 'utf8');
    assert.doesNotMatch(generated, /"yml\\u0000/, 'no type from a file that does not parse: `any` as before');
    assert.deepEqual(configErrors(), []);
    writeFileSync(yaml, text);
    refreshTypes([flow]);
    writeFileSync(join(dir, 'configs.missing.json'), '{ "whatever": 1 }');
    assert.deepEqual(staleTypesFiles([flow]), [flow], 'a file where none was');
    refreshTypes([flow]);
    assert.deepEqual(configErrors(), ["configs.ts(24): TS2322 Type 'number' is not assignable to type 'string'."]);
    rmSync(join(dir, 'configs.missing.json'));
    refreshTypes([flow]);
    assert.deepEqual(configErrors(), []);
  });
});
