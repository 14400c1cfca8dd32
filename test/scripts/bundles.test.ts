// What each built bundle holds: the analyzer (ts-morph + TypeScript, ~14 MB) stays in its own
// bundle, loaded by the CLI only for check/graph/show and the pre-run check, so `flowspec run`, the
// task workers and a user's `import 'flowspec'` start fast; the datastore stays out of the extension host's.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../support/cli';

describe('bundles', () => {
  for (const bundle of ['cli.js', 'cliMain.js', 'flowspec.js', 'client.js', 'runner.js', 'lastRunReader.js', 'artifactTypesWriter.js']) {
    it(`dist/${bundle} does not contain the analyzer (ts-morph)`, () => {
      const text = readFileSync(join(REPO, 'dist', bundle), 'utf8');
      // esbuild names each bundled module in a comment: `// node_modules/ts-morph/dist/ts-morph.js`.
      assert.doesNotMatch(text, /node_modules\/(ts-morph|typescript)\//);
    });
  }
  it('dist/analysis.js does (so the check above would see it if it leaked)', () => {
    assert.match(readFileSync(join(REPO, 'dist/analysis.js'), 'utf8'), /node_modules\/ts-morph\//);
  });
  for (const bundle of ['analysis.js', 'cliMain.js']) {
    it(`dist/${bundle} is ASCII, so the CLI reads it as Latin-1, a plain copy (runtime/codeCache.ts)`, () => {
      const bytes = readFileSync(join(REPO, 'dist', bundle));
      const first = bytes.findIndex((b) => b > 0x7f);
      assert.equal(first, -1, `a byte above 0x7f at offset ${first}`);
    });
  }

  // The extension host never reads the datastore: only its reader thread (dist/datastoreReader.js)
  // holds the client API, the datastores and the card store. Whether a root is s3:// (s3Config) and
  // the worker-thread machinery (readerThread) are bundled in both.
  const DATASTORE_MODULE = /^\/\/ runtime\/(client\/|cards\/store\.ts|datastore\/(?!root\.ts|s3Config\.ts|readerThread\.ts))/m;
  it('dist/extension.js does not contain a datastore module', () => {
    const text = readFileSync(join(REPO, 'dist/extension.js'), 'utf8');
    assert.doesNotMatch(text, DATASTORE_MODULE);
  });
  it('nor one that walks folders, reads project files or scans the PATH (ProjectFacts asks the reader)', () => {
    const text = readFileSync(join(REPO, 'dist/extension.js'), 'utf8');
    assert.doesNotMatch(text, /^\/\/ (runtime\/(config\.ts|datastore\/root\.ts|slurm\/)|client\/datastoreRoot\.ts)/m);
  });
  it('dist/datastoreReader.js does (so the check above would see one if it leaked)', () => {
    const text = readFileSync(join(REPO, 'dist/datastoreReader.js'), 'utf8');
    for (const module of ['client/run.ts', 'cards/store.ts', 'datastore/local.ts'])
      assert.ok(text.includes(`\n// runtime/${module}\n`), module);
    assert.match(text, DATASTORE_MODULE);
  });
});
