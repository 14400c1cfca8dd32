// The language server writes a flow's artifact types (.flowspec-types/) from the editor's unsaved
// text, in every project: one whose tsconfig includes the folder (tsc sees them too), one whose
// tsconfig does not and a folder with none (the extension's TypeScript plugin feeds them to the editor).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lspClient';

const FLOW = `import { FlowSpec, step } from 'flowspec';

export class TypedFlow extends FlowSpec {
  @step start() {
    this.count = 1;
    this.next(this.end);
  }
  @step end() {}
}
`;

function project(includeTypes: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-lsp-types-'));
  const include = includeTypes ? ['**/*', '.flowspec-types/**/*'] : ['**/*'];
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'preserve', moduleResolution: 'bundler' }, include }),
  );
  mkdirSync(join(dir, 'flows'));
  writeFileSync(join(dir, 'flows/typed.ts'), FLOW);
  return dir;
}

describe('language server: artifact types while typing', function () {
  this.timeout(120_000);
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.stop());

  it('writes the declarations of the unsaved text, and again after an edit', async () => {
    const dir = project(true);
    const uri = pathToFileURL(join(dir, 'flows/typed.ts')).href;
    const out = join(dir, '.flowspec-types/flows/typed.d.ts');
    await client.open(uri, FLOW);
    await client.flush();
    assert.match(readFileSync(out, 'utf8'), /\n {4}count: number;\n/);
    await client.edit(uri, 'this.count = 1;', "this.count = 'one';");
    await client.flush();
    assert.match(readFileSync(out, 'utf8'), /\n {4}count: string;\n/, 'the unsaved edit');
    assert.equal(readFileSync(join(dir, 'flows/typed.ts'), 'utf8'), FLOW, 'the flow file itself is left alone');
  });

  it('writes them where the tsconfig does not include the folder, and where there is none, in a folder that ignores itself in git', async () => {
    const withTsconfig = project(false);
    const bare = mkdtempSync(join(tmpdir(), 'flowspec-lsp-types-'));
    mkdirSync(join(bare, 'flows'));
    for (const [file, typesDir, rel] of [
      [join(withTsconfig, 'flows/typed.ts'), join(withTsconfig, '.flowspec-types'), 'flows/typed.d.ts'],
      [join(bare, 'flows/typed.ts'), join(bare, 'flows/.flowspec-types'), 'typed.d.ts'],
    ]) {
      writeFileSync(file, FLOW);
      await client.open(pathToFileURL(file).href, FLOW);
      await client.flush();
      assert.match(readFileSync(join(typesDir, rel), 'utf8'), /\n {4}count: number;\n/, typesDir);
      assert.equal(readFileSync(join(typesDir, '.gitignore'), 'utf8'), '*\n');
    }
  });
});
