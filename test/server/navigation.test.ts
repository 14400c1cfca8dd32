// Artifact navigation through the built server over stdio, as an editor asks for it: go to
// definition, references, highlights, rename (strings included) and hover with the value of the
// latest run, in a folder outside the repo whose flow the CLI ran into the folder's .flowspec/.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentHighlight, Hover, Location, Position, Range, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runCli } from '../support/cli';
import { S3Server, startS3Server } from '../scaleout/support/s3server';
import { LspClient } from './lspClient';

const FLOW = `import { FlowSpec, step, Parameter, Inputs } from 'flowspec';

export class NavFlow extends FlowSpec {
  rate = Parameter('rate', { default: 0.5 });

  @step start() {
    this.items = [1, 2, 3];
    this.mode = 'fast';
    this.next(this.a, this.b);
  }
  @step a() {
    this.model = { weights: [0.1, 0.2], rate: this.rate };
    this.next(this.join);
  }
  @step b() {
    this.score = 0.9;
    this.next(this.join);
  }
  @step join(inputs: Inputs) {
    this.model = inputs.a.model;
    this.mergeArtifacts(inputs, { include: ['mode', 'items'] });
    this.next(this.each, { foreach: 'items' });
  }
  @step each() {
    this.sq = this.input * this.input;
    this.next(this.gather);
  }
  @step gather(inputs: Inputs) {
    this.total = [...inputs].reduce((s, i) => s + i.sq, 0);
    this.mergeArtifacts(inputs, { include: ['model', 'mode'] });
    this.next(this.end);
  }
  @step end() {
    console.log(this.model.weights, this.total, this.mode);
  }
}
`;

const PARAMS = `# flowspec: flow.ts NavFlow
rate:
  ref: runs.latest
  value: outputs.total
`;

/**
 * The hover at a position once it shows the latest run: the server reads it on its reader thread
 * and a hover waits for it only so long (the next one has it), so ask until it is there.
 */
async function hoverWithRun(client: LspClient, uri: string, position: Position): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
    const text = h ? (h.contents as { value: string }).value : '';
    if (/latest run/.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`no latest run in the hover after 30 s:\n${text}`);
  }
}

describe('language server: artifact navigation and hover', function () {
  this.timeout(60000);
  let client: LspClient;
  let folder: string;
  let uri: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'flowspec-nav-'));
    writeFileSync(join(folder, 'flow.ts'), FLOW);
    // The CLI run from the folder would use <folder>/.flowspec: so does the server.
    const run = runCli(['run', join(folder, 'flow.ts'), '--rate', '0.25'], join(folder, '.flowspec'));
    assert.equal(run.code, 0, run.stderr);
    client = new LspClient({ FLOWSPEC_DATASTORE_ROOT: undefined });
    const init = (await client.initialize([{ uri: pathToFileURL(folder).href, name: 'ws' }])) as { capabilities: Record<string, unknown> };
    for (const c of ['definitionProvider', 'referencesProvider', 'documentHighlightProvider', 'renameProvider'])
      assert.ok(init.capabilities[c], c);
    uri = pathToFileURL(join(folder, 'flow.ts')).href;
    await client.open(uri, FLOW);
    await client.flush();
    assert.deepEqual(client.diagnostics.get(uri), []);
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const at = (search: string, delta = 0, nth = 0) => client.positionOf(uri, search, delta, nth);
  /** A range as `line:text` (1-based line, the text it covers). */
  const show = (r: Range) => `${r.start.line + 1}:${TextDocument.create(uri, 'typescript', 1, client.text(uri)).getText(r)}`;
  const definitions = async (search: string, delta: number) =>
    (await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: at(search, delta) })).map(
      (l) => `${l.uri === uri ? '' : l.uri}${show(l.range)}`,
    );

  it('goes from a read to the assignment that reaches it', async () => {
    // end reads the model gather merged from the foreach, which join assigned.
    assert.deepEqual(await definitions('this.model.weights', 6), ['20:model']);
    // inputs.a.model: what branch a assigned.
    assert.deepEqual(await definitions('inputs.a.model', 10), ['12:model']);
    // The strings: foreach, mergeArtifacts' include.
    assert.deepEqual(await definitions("foreach: 'items'", 11), ['7:items']);
    assert.deepEqual(await definitions("['model', 'mode']", 12), ['8:mode']);
    assert.deepEqual(await definitions('i.sq', 2), ['25:sq']);
  });

  it('finds every reference of an artifact across steps, strings included, and highlights them', async () => {
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri },
      position: at('this.mode);', 6),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      refs.map((l) => show(l.range)),
      ['8:mode', '21:mode', '30:mode', '34:mode'],
    );
    const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', {
      textDocument: { uri },
      position: at('this.mode =', 6),
    });
    assert.deepEqual(
      highlights.map((h) => [h.range.start.line + 1, h.kind]),
      [
        [8, 3],
        [21, 1],
        [30, 1],
        [34, 2],
      ],
    );
  });

  it('leaves parameters and anything else that is not an artifact to TypeScript (prepareRename null)', async () => {
    for (const [search, delta] of [
      ['this.rate', 6],
      ['console', 2],
      ['inputs.a', 2],
    ] as const) {
      assert.equal(
        await client.request('textDocument/prepareRename', { textDocument: { uri }, position: at(search, delta) }),
        null,
        search,
      );
    }
    assert.deepEqual(await client.request('textDocument/prepareRename', { textDocument: { uri }, position: at("'items'", 2) }), {
      range: { start: at("'items'", 1), end: at("'items'", 6) },
      placeholder: 'items',
    });
  });

  it('renames an artifact across the flow, strings included, and the renamed flow stays clean', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri },
      position: at('this.mode =', 6),
      newName: 'speed',
    });
    const renamed = TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 1, client.text(uri)), edit.changes![uri]);
    assert.equal(edit.changes![uri].length, 4);
    assert.match(renamed, /this\.speed = 'fast'/);
    assert.match(renamed, /include: \['speed', 'items'\]/);
    assert.match(renamed, /include: \['model', 'speed'\]/);
    assert.match(renamed, /this\.total, this\.speed\)/);
    const renamedUri = pathToFileURL(join(folder, 'renamed.ts')).href;
    await client.open(renamedUri, renamed);
    await client.flush();
    assert.deepEqual(client.diagnostics.get(renamedUri), []);
    await client.close(renamedUri);
  });

  it('refuses a rename onto a name the flow already uses, with a message', async () => {
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri }, position: at('this.mode =', 6), newName: 'items' }),
      /NavFlow already has an artifact 'items'/,
    );
  });

  it("hovers an artifact with its type, where it is assigned and the latest run's value, with a link that opens it", async () => {
    // The type TypeScript sees (the generated declarations': the parameter is a number); the value of a's task.
    const fromA = await hoverWithRun(client, uri, at('inputs.a.model', 10));
    assert.match(fromA, /^\*\*artifact\*\* `model`: `\{ weights: number\[\]; rate: number; \}`/);
    assert.match(fromA, /task `NavFlow\/1\/a\/\d+`/);
    const text = await hoverWithRun(client, uri, at('this.model.weights', 6));
    // join assigns inputs.a.model (a plain Inputs: any): its type is what a assigned.
    assert.match(text, /^\*\*artifact\*\* `model`: `\{ weights: number\[\]; rate: number; \}`/);
    assert.match(text, /in `end`, assigned in: \[`join` line 20\]\(file:.*flow\.ts#L20\)/);
    assert.match(text, /latest run `NavFlow\/1` \(success, just now\), task `NavFlow\/1\/end\/\d+`:/);
    assert.match(text, /\{weights: \[0\.1, 0\.2\], rate: 0\.25\}/);
    const link = /\[Open value\]\(command:flowspec\.openArtifact\?([^ )]+)/.exec(text);
    assert.ok(link, text);
    const [ref] = JSON.parse(decodeURIComponent(link[1])) as Array<{ root: string; taskPathspec: string; name: string }>;
    assert.equal(ref.root, join(folder, '.flowspec'));
    assert.match(ref.taskPathspec, /^NavFlow\/1\/end\/\d+$/);
    assert.equal(ref.name, 'model');
  });

  it('hovers a parameter with the value the latest run used', async () => {
    const text = await hoverWithRun(client, uri, at('this.rate', 6));
    assert.match(text, /\*\*parameter\*\* `rate` \(number\) of `NavFlow`/);
    assert.match(text, /latest run `NavFlow\/1` \(success, just now\): `0\.25`/);
  });

  it("goes from a params file's entry to the parameter, and from its ref's value to the artifact's assignment", async () => {
    const paramsUri = pathToFileURL(join(folder, 'params.yaml')).href;
    await client.open(paramsUri, PARAMS, 'yaml');
    const ask = (search: string, delta: number) =>
      client.request<Location[]>('textDocument/definition', {
        textDocument: { uri: paramsUri },
        position: client.positionOf(paramsUri, search, delta),
      });
    assert.deepEqual(
      (await ask('rate:', 1)).map((l) => [l.uri, show(l.range)]),
      [[uri, '4:rate']],
    );
    assert.deepEqual(
      (await ask('outputs.total', 10)).map((l) => [l.uri, show(l.range)]),
      [[uri, '29:total']],
    );
  });
});

describe('language server: hover with the latest run in an s3:// datastore', function () {
  this.timeout(90000);
  let s3: S3Server;
  let client: LspClient;
  let folder: string;

  before(async () => {
    s3 = await startS3Server();
    folder = mkdtempSync(join(tmpdir(), 'flowspec-nav-s3-'));
    writeFileSync(join(folder, 'flow.ts'), FLOW);
    const run = runCli(['run', join(folder, 'flow.ts'), '--rate', '0.75'], s3.root('nav'), s3.env('nav'));
    assert.equal(run.code, 0, run.stderr);
    // The server (and its reader thread) read the datastore the environment names, as the CLI does.
    client = new LspClient(s3.env('nav'));
    await client.initialize([{ uri: pathToFileURL(folder).href, name: 'ws' }]);
  });
  after(async () => {
    await client?.stop();
    await s3?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("shows the artifact's value from S3, and the analysis goes on", async () => {
    const uri = pathToFileURL(join(folder, 'flow.ts')).href;
    await client.open(uri, FLOW);
    const text = await hoverWithRun(client, uri, client.positionOf(uri, 'inputs.a.model', 10));
    assert.match(text, /latest run `NavFlow\/1` \(success, just now\), task `NavFlow\/1\/a\/\d+`/);
    assert.match(text, /\{weights: \[0\.1, 0\.2\], rate: 0\.75\}/);
    assert.ok(text.includes(encodeURIComponent(`"root":"${s3.root('nav')}"`)), text);
    await client.flush();
    assert.deepEqual(client.diagnostics.get(uri), []);
  });
});
