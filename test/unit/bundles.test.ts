// What each built bundle holds: the analyzer (ts-morph + TypeScript, ~14 MB) stays in its own
// bundle, loaded by the CLI only for check/graph/show and the pre-run check, so `flowspec run`, the
// task workers and a user's `import 'flowspec'` start fast.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../support/cli';

describe('bundles', () => {
  for (const bundle of ['cli.js', 'flowspec.js', 'client.js']) {
    it(`dist/${bundle} does not contain the analyzer (ts-morph)`, () => {
      const text = readFileSync(join(REPO, 'dist', bundle), 'utf8');
      // esbuild names each bundled module in a comment: `// node_modules/ts-morph/dist/ts-morph.js`.
      assert.doesNotMatch(text, /node_modules\/(ts-morph|typescript)\//);
    });
  }
  it('dist/analysis.js does (so the check above would see it if it leaked)', () => {
    assert.match(readFileSync(join(REPO, 'dist/analysis.js'), 'utf8'), /node_modules\/ts-morph\//);
  });
});
