// staleTypesFiles: which flow files' generated declarations `check` and `run` must regenerate,
// read from the files alone (the header names the flow text each was generated from, and the
// texts of its configs' default files).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshTypes } from '../../analyzer';
import { staleTypesFiles } from '../../model/artifactTypesFiles';

const FLOW = `import { FlowSpec, step } from 'flowspec';

export class CountFlow extends FlowSpec {
  @step start() {
    this.count = 1;
    this.next(this.end);
  }
  @step end() {}
}
`;

describe('staleTypesFiles', function () {
  this.timeout(60_000);
  let root: string;
  before(() => (root = mkdtempSync(join(tmpdir(), 'flowspec-stale-types-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  function project(name: string, include: string[]): string {
    const dir = join(root, name);
    mkdirSync(join(dir, 'flows'), { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true }, include }));
    writeFileSync(join(dir, 'flows/count.ts'), FLOW);
    writeFileSync(join(dir, 'flows/util.ts'), 'export const n = 1;\n');
    return dir;
  }

  it('names a flow file until its declarations are generated from its text, and again after an edit', () => {
    const dir = project('included', ['**/*', '.flowspec-types/**/*']);
    const files = [join(dir, 'flows/count.ts'), join(dir, 'flows/util.ts')];
    assert.deepStrictEqual(staleTypesFiles(files), [files[0]], 'missing; util.ts holds no flow');
    refreshTypes([files[0]]);
    assert.deepStrictEqual(staleTypesFiles(files), []);
    writeFileSync(files[0], FLOW.replace('this.count = 1;', "this.count = 'one';"));
    assert.deepStrictEqual(staleTypesFiles(files), [files[0]]);
  });

  it('names a flow file again when a config default file it reads changes, goes, or appears where a run looks first', () => {
    const dir = project('config', ['**/*', '.flowspec-types/**/*']);
    writeFileSync(join(dir, 'package.json'), '{}');
    const flow = join(dir, 'flows/sized.ts');
    writeFileSync(
      flow,
      FLOW.replace('{ FlowSpec, step }', '{ Config, FlowSpec, step }').replace(
        'export class CountFlow extends FlowSpec {',
        "export class SizedFlow extends FlowSpec {\n  cfg = Config('cfg', { default: 'sized.json' });",
      ),
    );
    const besideFlow = join(dir, 'flows/sized.json');
    const atRoot = join(dir, 'sized.json');
    const staleAfter = (change: () => void) => {
      refreshTypes([flow]);
      assert.deepStrictEqual(staleTypesFiles([flow]), []);
      change();
      return staleTypesFiles([flow]);
    };
    assert.deepStrictEqual(
      staleAfter(() => writeFileSync(besideFlow, '{ "cpu": 4 }')),
      [flow],
      'created',
    );
    assert.deepStrictEqual(
      staleAfter(() => writeFileSync(besideFlow, '{ "cpu": "4" }')),
      [flow],
      'edited',
    );
    assert.deepStrictEqual(
      staleAfter(() => writeFileSync(atRoot, '{ "cpu": 8 }')),
      [flow],
      'one where a run looks first',
    );
    assert.deepStrictEqual(
      staleAfter(() => writeFileSync(besideFlow, '{ "cpu": 2 }')),
      [],
      'the one beside the flow is no longer read',
    );
    assert.deepStrictEqual(
      staleAfter(() => unlinkSync(atRoot)),
      [flow],
      'deleted',
    );
  });

  it('names none in a project whose tsconfig does not include the folder (check and run leave those alone)', () => {
    const dir = project('not-included', ['**/*']);
    assert.deepStrictEqual(staleTypesFiles([join(dir, 'flows/count.ts')]), []);
  });
});
