// staleTypesFiles: which flow files' generated declarations `check` and `run` must regenerate,
// read from the files alone (the header names the flow text each was generated from).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('names none in a project whose tsconfig does not include the folder (check and run leave those alone)', () => {
    const dir = project('not-included', ['**/*']);
    assert.deepStrictEqual(staleTypesFiles([join(dir, 'flows/count.ts')]), []);
  });
});
