// Params files through the built server over stdio: a workspace folder with a flow, a run of it in
// the folder's .flowspec/, and a params file opened, broken, fixed and hovered as in an editor.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver';
import { runCli, REPO } from '../support/cli';
import { LspClient } from './lspClient';

const FLOW = join(REPO, 'test/fixtures/params-diagnostics/flows.ts');

const PARAMS = `model:
  ref: flows.TrainFlow.latestSuccessful
  value: outputs.model
rate:
  value: fast
`;

describe('language server: params files', function () {
  this.timeout(30000);
  let client: LspClient;
  let folder: string;
  let uri: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'flowspec-ws-'));
    copyFileSync(FLOW, join(folder, 'flows.ts'));
    // The CLI run from the folder would use <folder>/.flowspec: so does the server.
    assert.equal(runCli(['run', join(folder, 'flows.ts'), '--flow', 'TrainFlow'], join(folder, '.flowspec')).code, 0);
    client = new LspClient({ FLOWSPEC_DATASTORE_ROOT: undefined });
    await client.initialize([{ uri: pathToFileURL(folder).href, name: 'ws' }]);
    uri = pathToFileURL(join(folder, 'params.yaml')).href;
  });
  after(async () => {
    await client.stop();
  });

  it('a value of the wrong type gets a diagnostic on the value', async () => {
    await client.open(uri, PARAMS, 'yaml');
    await client.flush();
    const ds = await client.waitFor(uri, (d) => d.length > 0);
    assert.deepEqual(
      ds.map((d) => [d.code, d.source, d.message]),
      [['params-type', 'flowspec', `'rate': "fast" is not a number`]],
    );
    assert.deepEqual(ds[0].range, { start: client.positionOf(uri, 'fast'), end: client.positionOf(uri, 'fast', 4) });
  });

  it('fixing the value clears it', async () => {
    await client.edit(uri, 'fast', '0.25');
    await client.flush();
    assert.deepEqual(await client.waitFor(uri, (d) => d.length === 0), []);
  });

  it('hover on a ref entry shows the resolved value and the task it comes from', async () => {
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: client.positionOf(uri, 'model', 1) });
    const text = (h.contents as { value: string }).value;
    assert.match(text, /\*\*parameter\*\* `model` \(json\) of `ScoreFlow`/);
    assert.match(text, /`model` ← TrainFlow\/1\/end\/5\.model = \{weights: \[0, 0\.1, 0\.2\]\}/);
  });

  it('an edit of the open flow file re-checks its params files', async () => {
    await client.edit(uri, 'rate:', 'colour:');
    await client.flush();
    await client.waitFor(uri, (d) => d.some((x) => x.code === 'params-unknown-parameter'));
    const flowUri = pathToFileURL(join(folder, 'flows.ts')).href;
    await client.open(flowUri, readFileSync(FLOW, 'utf8'));
    await client.edit(
      flowUri,
      "  label = Parameter('label'",
      "  colour = Parameter('colour', { default: 0.5 });\n  label = Parameter('label'",
    );
    await client.flush();
    assert.deepEqual(await client.waitFor(uri, (d) => d.length === 0), []);
  });

  it('another YAML file gets no diagnostics', async () => {
    const other = pathToFileURL(join(folder, 'compose.yaml')).href;
    await client.open(other, 'services: [\n', 'yaml');
    await client.flush();
    assert.equal(client.diagnostics.has(other), false);
  });
});
