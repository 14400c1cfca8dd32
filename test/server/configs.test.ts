// Configs in the editor, through the built server over stdio in a project outside the repo: the
// config diagnostics of a flow (a default file that goes missing, a configExpr key the file lacks)
// and hover on `this.cfg.…`, `configExpr('cfg.…')` and the Config field showing the file's values;
// an edit of only the config file (reported by the editor's file watcher) refreshes the flow's
// diagnostics, hover and generated types.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver';
import { LspClient } from './lspClient';

const FLOW = `import { FlowSpec, step, Config, configExpr, resources } from 'flowspec';

interface Settings { cpu: number; model: { name: string; layers: number[] } }

export class HoverConfigFlow extends FlowSpec {
  cfg = Config<Settings>('cfg', { default: 'settings.json', help: 'Training settings' });

  @resources({ cpu: configExpr('cfg.cpu') })
  @step start() {
    console.log(this.cfg.model.name);
    this.next(this.end);
  }
  @step end() {}
}
`;

const SETTINGS = { cpu: 4, model: { name: 'small', layers: [64, 32] } };

describe('language server: configs', function () {
  this.timeout(60000);
  let client: LspClient;
  let folder: string;
  let uri: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'flowspec-config-hover-'));
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'p', private: true }));
    writeFileSync(join(folder, 'settings.json'), JSON.stringify(SETTINGS));
    writeFileSync(join(folder, 'flow.ts'), FLOW);
    client = new LspClient();
    await client.initialize([{ uri: pathToFileURL(folder).href, name: 'ws' }]);
    uri = pathToFileURL(join(folder, 'flow.ts')).href;
    await client.open(uri, FLOW);
    await client.flush();
    assert.deepEqual(client.diagnostics.get(uri), []);
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const hoverText = async (search: string, delta = 0) => {
    const h = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: client.positionOf(uri, search, delta),
    });
    return h ? (h.contents as { value: string }).value : '';
  };

  it("hovers this.cfg.… with the default file's value at the key hovered", async () => {
    const name = await hoverText('this.cfg.model.name', 16);
    assert.match(name, /\*\*config\*\* `cfg` · `model\.name`/);
    assert.match(name, /in its default file `settings\.json`:\n\n```json\n"small"\n```/);
    const model = await hoverText('this.cfg.model.name', 10);
    assert.match(model, /`model`[\s\S]*"layers": \[\n\s+64,\n\s+32\n\s+\]/);
    const whole = await hoverText('this.cfg.model.name', 6);
    assert.match(whole, /\*\*config\*\* `cfg`\n\nTraining settings\n[\s\S]*"cpu": 4/);
  });

  it("hovers configExpr('cfg.cpu') and the Config field", async () => {
    assert.match(await hoverText("configExpr('cfg.cpu')", 14), /`cpu`[\s\S]*```json\n4\n```/);
    assert.match(await hoverText("Config<Settings>('cfg'", 18), /\*\*config\*\* `cfg`[\s\S]*"name": "small"/);
  });

  it('reports a key the default file lacks, then the file gone, as the files change', async () => {
    await client.edit(uri, "configExpr('cfg.cpu')", "configExpr('cfg.gpu')");
    const key = await client.waitFor(uri, (d) => d.length > 0);
    assert.deepEqual(
      key.map((d) => [d.code, d.severity, d.message]),
      [
        [
          'unknown-config-key',
          2,
          "configExpr('cfg.gpu'): config 'cfg' has no key 'gpu' in its default file settings.json (a run with that file fails)",
        ],
      ],
    );
    assert.match(await hoverText("configExpr('cfg.gpu')", 14), /`settings\.json` has no key `gpu`/);
    unlinkSync(join(folder, 'settings.json'));
    await client.edit(uri, "configExpr('cfg.gpu')", "configExpr('cfg.cpu')");
    const missing = await client.waitFor(uri, (d) => d.some((x) => x.code === 'config-file-missing'));
    assert.deepEqual(
      missing.map((d) => d.code),
      ['config-file-missing'],
    );
  });
});

const WATCHED_FLOW = `import { FlowSpec, step, Config, configExpr, retry } from 'flowspec';

export class WatchedConfigFlow extends FlowSpec {
  cfg = Config('cfg', { default: 'settings.json' });

  @retry({ times: configExpr('cfg.retries') })
  @step start() {
    console.log(this.cfg.cpu);
    this.next(this.end);
  }
  @step end() {}
}
`;

describe('language server: a config file edited on disk', function () {
  this.timeout(60000);
  let client: LspClient;
  let folder: string;
  let uri: string;
  let settings: string;

  /** Writes the config file and reports it as the editor's file watcher does, then lets the server finish. */
  const saveSettings = async (text: string) => {
    writeFileSync(settings, text);
    await client.filesChanged([{ uri: pathToFileURL(settings).href, type: 2 }]);
    await client.flush();
  };
  const codes = () => (client.diagnostics.get(uri) ?? []).map((d) => d.code);

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'flowspec-config-watch-'));
    settings = join(folder, 'settings.json');
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'p', private: true }));
    writeFileSync(settings, '{ "cpu": 4, "retries": 2 }\n');
    writeFileSync(join(folder, 'flow.ts'), WATCHED_FLOW);
    client = new LspClient();
    await client.initialize([{ uri: pathToFileURL(folder).href, name: 'ws' }]);
    uri = pathToFileURL(join(folder, 'flow.ts')).href;
    await client.open(uri, WATCHED_FLOW);
    await client.flush();
    assert.deepEqual(codes(), []);
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('reports a key the file loses and a file that stops parsing, and clears them once it is right again', async () => {
    await saveSettings('{ "cpu": 4 }\n');
    assert.deepEqual(codes(), ['unknown-config-key']);
    await saveSettings('{ "cpu": 4, "retries": 2,\n');
    assert.deepEqual(codes(), ['config-file-invalid']);
    await saveSettings('{ "cpu": 4, "retries": 2 }\n');
    assert.deepEqual(codes(), []);
  });

  it("hovers the file's new value and rewrites the generated type of this.cfg", async () => {
    await saveSettings('{ "cpu": "four", "retries": 2 }\n');
    const h = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: client.positionOf(uri, 'this.cfg.cpu', 10),
    });
    assert.match((h?.contents as { value: string }).value, /```json\n"four"\n```/);
    const generated = readFileSync(join(folder, '.flowspec-types/flow.d.ts'), 'utf8');
    assert.match(generated, /"cfg\\u0000settings\.json\\u0000[0-9a-f]{16}": \{ cpu: string; retries: number \};/);
  });

  it('leaves a flow alone when a file it does not read changes', async () => {
    /** The flow's analyses (logged as they are timed) after a file is reported changed. */
    const validationsAfter = async (file: string, text: string) => {
      const logged = client.logs.length;
      writeFileSync(file, text);
      await client.filesChanged([{ uri: pathToFileURL(file).href, type: 2 }]);
      await client.flush();
      return client.logs.slice(logged).filter((l) => l.startsWith(`validate ${uri} took`));
    };
    assert.equal((await validationsAfter(settings, '{ "cpu": 4, "retries": 3 }\n')).length, 1);
    assert.deepEqual(await validationsAfter(join(folder, 'other.json'), '{}'), []);
  });
});
