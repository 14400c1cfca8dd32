// The built language server over stdio, driven as an editor would: open, edit, ask.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import type { CodeAction, CompletionItem, DocumentSymbol, Hover } from 'vscode-languageserver';
import { LspClient, SERVER } from './lspClient';

const BROKEN = `import { FlowSpec, step } from 'flowspec';

export class DemoFlow extends FlowSpec {
  /** Begins. */
  @step start() { this.next(this.a, this.b); }
  @step a() { this.x = 1; this.next(this.join); }
  @step b() { this.x = 2; this.next(this.join); }
  @step join() { this.next(this.end); }
}
`;

describe('language server over stdio', function () {
  this.timeout(20000);
  let client: LspClient;

  before(async () => {
    assert.ok(existsSync(SERVER), 'dist/server.js is built (npm run build)');
    client = new LspClient();
    const init = (await client.initialize()) as { capabilities: Record<string, unknown> };
    assert.ok(init.capabilities.hoverProvider);
  });
  after(async () => {
    await client.stop();
  });

  const uri = 'file:///tmp/flowspec-test/demo.ts';

  it('publishes diagnostics for a broken flow, with codes and precise ranges', async () => {
    await client.open(uri, BROKEN);
    await client.flush();
    const ds = await client.waitFor(uri, (d) => d.length > 0);
    const codes = ds.map((d) => d.code).sort();
    assert.deepEqual(codes, ['join-needs-inputs', 'missing-end', 'unknown-step']);
    assert.ok(ds.every((d) => d.source === 'flowspec'));
    const unknown = ds.find((d) => d.code === 'unknown-step')!;
    assert.deepEqual(unknown.range, { start: client.positionOf(uri, 'this.end'), end: client.positionOf(uri, 'this.end', 8) });
    assert.equal(unknown.severity, 1);
  });

  it('offers quick fixes: add end, add inputs', async () => {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
      context: { diagnostics: [] },
    });
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes("Add an 'end' step"), titles.join());
    assert.ok(
      titles.some((t) => t.includes("'inputs: Inputs'")),
      titles.join(),
    );
    const addEnd = actions.find((a) => a.title === "Add an 'end' step")!;
    assert.equal(addEnd.edit!.changes![uri][0].newText, '\n\n  @step end() {}');
  });

  it('clears the diagnostics once the edits fix the flow', async () => {
    await client.edit(uri, 'join() {', 'join(inputs: Inputs) {');
    await client.edit(uri, 'import { FlowSpec, step }', 'import { FlowSpec, step, Inputs }');
    await client.edit(uri, '\n}\n', '\n  @step end() {}\n}\n');
    await client.flush();
    const ds = await client.waitFor(uri, (d) => d.length === 0);
    assert.deepEqual(ds, []);
  });

  it('re-analyses after the debounce without a flush', async () => {
    await client.edit(uri, 'this.join', 'this.jion');
    const ds = await client.waitFor(uri, (d) => d.some((x) => x.code === 'unknown-step'));
    assert.match(ds.find((d) => d.code === 'unknown-step')!.message as string, /did you mean 'join'/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: ds[0].range,
      context: { diagnostics: ds },
    });
    assert.equal(actions[0].title, "Change to 'join'");
    await client.edit(uri, 'this.jion', 'this.join');
    await client.flush();
    await client.waitFor(uri, (d) => d.length === 0);
  });

  it('hovers on a step and on an artifact', async () => {
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: client.positionOf(uri, 'start()', 2) });
    const text = (h.contents as { value: string }).value;
    assert.match(text, /\*\*step\*\* `start`/);
    assert.match(text, /Begins\./);
    assert.match(text, /→ `a`, `b`/);
    const h2 = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: client.positionOf(uri, 'this.x', 5) });
    assert.match((h2.contents as { value: string }).value, /\*\*artifact\*\* `x`/);
    const none = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.equal(none, null);
  });

  it('completes step names after this.next(this. and artifacts in foreach strings', async () => {
    const original = client.text(uri);
    await client.edit(uri, 'this.next(this.join); }', 'this.next(this. }');
    const items = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: client.positionOf(uri, 'this.next(this. }', 15),
    });
    assert.deepEqual(items.map((i) => i.label).sort(), ['b', 'end', 'join']);
    await client.edit(uri, 'this.next(this. }', "this.next(this.b, { foreach: ' }");
    const arts = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: client.positionOf(uri, "foreach: '", 10),
    });
    assert.deepEqual(
      arts.map((i) => i.label),
      ['x'],
    );
    await client.change(uri, undefined, original);
  });

  it('lists document symbols: flows and their steps', async () => {
    const syms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(syms.length, 1);
    assert.equal(syms[0].name, 'DemoFlow');
    assert.deepEqual(
      syms[0].children!.map((c) => c.name),
      ['start', 'a', 'b', 'join', 'end'],
    );
  });

  it('answers flowspec/flows with flows, edges and diagnostics', async () => {
    const r = await client.request<{
      flows: Array<{ name: string; steps: Array<{ name: string; kind: string }>; edges: unknown[]; diagnostics: unknown[] }>;
    }>('flowspec/flows', { uri });
    assert.equal(r.flows.length, 1);
    const f = r.flows[0];
    assert.equal(f.name, 'DemoFlow');
    assert.deepEqual(
      f.steps.map((s) => `${s.name}:${s.kind}`),
      ['start:start', 'a:linear', 'b:linear', 'join:join', 'end:end'],
    );
    assert.deepEqual(f.edges, [
      { from: 'start', to: 'a', kind: 'branch' },
      { from: 'start', to: 'b', kind: 'branch' },
      { from: 'a', to: 'join', kind: 'linear' },
      { from: 'b', to: 'join', kind: 'linear' },
      { from: 'join', to: 'end', kind: 'linear' },
    ]);
    assert.deepEqual(f.diagnostics, []);
  });

  it('publishes nothing for a TypeScript file without flows, and survives garbage', async () => {
    const plain = 'file:///tmp/flowspec-test/plain.ts';
    await client.open(plain, 'export const x = 1;\nclass A {}\n');
    await client.change(plain, undefined, 'class A extends FlowSpec { @step start( }}}}');
    await client.flush();
    const ds = await client.waitFor(plain, () => true);
    assert.ok(ds.some((d) => d.code === 'missing-end'));
    const h = await client.request('textDocument/hover', { textDocument: { uri: 'file:///nope.ts' }, position: { line: 0, character: 0 } });
    assert.equal(h, null);
    await client.change(plain, undefined, 'export const y = 2;\n');
    await client.flush();
    await client.waitFor(plain, (d) => d.length === 0);
    await client.close(plain);
  });

  it('clears diagnostics when a flow document closes', async () => {
    const other = 'file:///tmp/flowspec-test/other.ts';
    await client.open(
      other,
      'import { FlowSpec, step } from "flowspec";\nclass O extends FlowSpec { @step start() { this.next(this.end); } }\n',
    );
    await client.flush();
    await client.waitFor(other, (d) => d.length > 0);
    await client.close(other);
    await client.waitFor(other, (d) => d.length === 0);
  });

  it('logs handler timings', () => {
    assert.ok(
      client.logs.some((l) => /^validate .* took \d+ms$/.test(l)),
      client.logs.slice(0, 5).join('\n'),
    );
  });
});
