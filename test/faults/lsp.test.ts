// The language server under hostile input, through the BUILT server over stdio: garbage and huge
// documents, storms of edits, deep nesting, and requests that name FIFOs or devices. Each test
// starts its own server, so none depends on another's state.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver';
import { LspClient } from '../server/lspClient';
import { analyzeText, MAX_DATAFLOW_STEPS } from '../../analyzer';
import { generateFlow } from '../../bench/support/benchFlow';
import { skipBecause } from '../support/skip';

const LIMIT = 1_000_000; // server/limits.ts MAX_DOCUMENT_CHARS, as the log and diagnostic state it

// unknown-step 'nope', so 'end' is an unreachable-step.
const BROKEN = `import { FlowSpec, step } from 'flowspec';

export class DemoFlow extends FlowSpec {
  @step start() { this.next(this.a); }
  @step a() { this.next(this.nope); }
  @step end() {}
}
`;

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function randomPrintable(rand: () => number, length: number): string {
  const codes = new Uint8Array(length);
  for (let i = 0; i < length; i++) codes[i] = rand() < 0.03 ? 10 : 32 + Math.floor(rand() * 95);
  return Buffer.from(codes).toString('latin1');
}

/** Resolves with the request's answer, or rejects when none comes within `ms`. */
function answered<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer to ${what} within ${ms}ms`)), ms))]);
}

describe('faults: language server', function () {
  this.timeout(120000);
  let client: LspClient;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowspec-lsp-faults-'));
    client = new LspClient();
    await client.initialize();
  });
  afterEach(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const uriOf = (name: string) => pathToFileURL(join(dir, name)).href;
  const codes = (uri: string) => (client.diagnostics.get(uri) ?? []).map((d) => d.code).sort();
  const BROKEN_CODES = ['unknown-step', 'unreachable-step'];

  it('a 5 MB document of random text is not analysed, is logged once, and every request is answered', async () => {
    const uri = uriOf('garbage.ts');
    await client.open(uri, randomPrintable(rng(7), 5_000_000));
    await answered(client.flush(), 30000, 'flowspec/flush');
    await client.change(uri, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, 'more garbage');
    await answered(client.flush(), 30000, 'flowspec/flush');
    const hover = await answered(
      client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } }),
      30000,
      'hover',
    );
    assert.equal(hover, null);
    const flows = await answered(client.request<{ flows: unknown[] }>('flowspec/flows', { uri }), 30000, 'flowspec/flows');
    assert.deepEqual(flows.flows, []);
    assert.equal(client.logs.filter((l) => l.includes('the server analyses: not analysed')).length, 1, client.logs.join('\n'));
    assert.ok(!client.diagnostics.has(uri), 'no diagnostics for a document without flows');
  });

  it('a flow file over the limit gets one file-too-large warning, and its diagnostics once it shrinks', async () => {
    const uri = uriOf('huge.ts');
    const padding = `/*${'x'.repeat(LIMIT)}*/\n`;
    await client.open(uri, padding + BROKEN);
    await client.flush();
    const ds = await client.waitFor(uri, (d) => d.length > 0);
    assert.deepEqual(
      ds.map((d) => d.code),
      ['file-too-large'],
    );
    assert.equal(ds[0].severity, 2);
    assert.match(ds[0].message as string, /over the 1,000,000 the editor checks/);
    assert.deepEqual(ds[0].range.start, client.positionOf(uri, 'extends FlowSpec'));
    await client.change(uri, undefined, BROKEN);
    await client.flush();
    await client.waitFor(uri, (d) => !d.some((x) => x.code === 'file-too-large'));
    assert.deepEqual(codes(uri), BROKEN_CODES);
  });

  it('a storm of random edits: every request is answered and the diagnostics end as those of the last text', async () => {
    const uri = uriOf('storm.ts');
    await client.open(uri, BROKEN);
    const rand = rng(11);
    const pieces = ['this.next(', 'this.', ')', '{', '}', "'", '@step ', 'extends FlowSpec', ';', '\n', 'x'];
    const requests: Array<Promise<unknown>> = [];
    for (let i = 0; i < 2000; i++) {
      const text = client.text(uri);
      const at = Math.floor(rand() * text.length);
      const start = positionIn(text, at);
      const end = positionIn(text, Math.min(text.length, at + (rand() < 0.4 ? Math.floor(rand() * 20) : 0)));
      void client.change(uri, { start, end }, rand() < 0.7 ? pieces[Math.floor(rand() * pieces.length)] : '');
      if (i % 100 === 0) requests.push(client.request('textDocument/hover', { textDocument: { uri }, position: start }));
      if (i % 250 === 0) requests.push(client.flush());
    }
    await answered(Promise.all(requests), 60000, 'the requests sent during the edits');
    await client.change(uri, undefined, BROKEN);
    await answered(client.flush(), 30000, 'flowspec/flush');
    await client.waitFor(uri, (d) => d.length === 2, 10000);
    assert.deepEqual(codes(uri), BROKEN_CODES);
  });

  it('1,000 nested blocks in a step: the file keeps all its diagnostics', async () => {
    const uri = uriOf('nested.ts');
    const nested = `${'if (this.y) { '.repeat(1000)}this.z = 1;${' }'.repeat(1000)}`;
    await client.open(
      uri,
      BROKEN.replace('@step a() { this.next(this.nope); }', `@step a() { this.y = 1; ${nested} this.next(this.nope); }`),
    );
    await client.flush();
    await client.waitFor(uri, (d) => d.length > 0);
    assert.deepEqual(codes(uri), BROKEN_CODES);
  });

  it('an else-if chain of 3,000 branches: its paths are followed (no nesting-too-deep), the other diagnostics stay', async () => {
    // The path walk now takes fewer stack frames a level than TypeScript's parser, so a chain the
    // parser accepts is followed to the end; a deeper one is the file-level warning below.
    const uri = uriOf('deep.ts');
    const chain =
      'if (this.y === 0) { this.z = 0; }' +
      Array.from({ length: 3000 }, (_, i) => ` else if (this.y === ${i + 1}) { this.z = ${i}; }`).join('');
    await client.open(
      uri,
      BROKEN.replace('@step a() { this.next(this.nope); }', `@step a() { this.y = 1; ${chain} this.next(this.nope); }`),
    );
    await client.flush();
    await client.waitFor(uri, (d) => d.length > 0);
    assert.deepEqual(codes(uri), BROKEN_CODES);
  });

  it('nesting too deep for the parser: one nesting-too-deep warning for the file', async () => {
    const uri = uriOf('parens.ts');
    await client.open(uri, BROKEN.replace('this.next(this.a);', `this.v = ${'('.repeat(5000)}1${')'.repeat(5000)}; this.next(this.a);`));
    await client.flush();
    const ds = await client.waitFor(uri, (d) => d.length > 0);
    assert.deepEqual(
      ds.map((d) => d.code),
      ['nesting-too-deep'],
    );
    assert.match(ds[0].message as string, /nests too deeply to be parsed/);
  });

  it('flowspec/flows on a FIFO, a device, a folder or a huge file: an error answer, and the server goes on', async function () {
    if (process.platform === 'win32') skipBecause(this, 'Windows has no FIFOs or /dev/zero');
    const fifo = join(dir, 'pipe.ts');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(dir, 'folder.ts'));
    writeFileSync(join(dir, 'big.ts'), `/*${'x'.repeat(LIMIT)}*/\n${BROKEN}`);
    writeFileSync(join(dir, 'ok.ts'), BROKEN);
    const refused = async (path: string, message: RegExp) => {
      await assert.rejects(
        answered(client.request('flowspec/flows', { uri: pathToFileURL(path).href }), 10000, `flowspec/flows ${path}`),
        message,
      );
    };
    await refused(fifo, /pipe\.ts is not a regular file/);
    await refused('/dev/zero', /\/dev\/zero is not a regular file/);
    await refused(join(dir, 'folder.ts'), /not a regular file/);
    await refused(join(dir, 'big.ts'), /big\.ts has 1,000,\d{3} bytes, over the 1,000,000 the language server reads/);
    const ok = await client.request<{ flows: Array<{ name: string; diagnostics: Array<{ code: string }> }> }>('flowspec/flows', {
      uri: uriOf('ok.ts'),
    });
    assert.deepEqual(
      ok.flows.map((f) => [f.name, f.diagnostics.map((d) => d.code).sort()]),
      [['DemoFlow', BROKEN_CODES]],
    );
  });

  it('a params file whose header names a FIFO or /dev/zero: a params-flow warning, no hang', async function () {
    if (process.platform === 'win32') skipBecause(this, 'Windows has no FIFOs or /dev/zero');
    execFileSync('mkfifo', [join(dir, 'pipe.ts')]);
    const uri = uriOf('params.yaml');
    await client.open(uri, '# flowspec: ./pipe.ts\nrate: { value: 1 }\n', 'yaml');
    await answered(client.flush(), 10000, 'flowspec/flush');
    const ds = await client.waitFor(uri, (d) => d.length > 0);
    assert.deepEqual(
      ds.map((d) => [d.code, d.message]),
      [['params-flow', 'no flow file ./pipe.ts (the path is relative to this file)']],
    );
    await client.change(uri, undefined, '# flowspec: /dev/zero\nrate: { value: 1 }\n');
    await answered(client.flush(), 10000, 'flowspec/flush');
    await client.waitFor(uri, (d) => d.length === 1 && (d[0].message as string).startsWith('no flow file /dev/zero'));
  });
});

describe('faults: analyzer limits', function () {
  this.timeout(120000);

  it(`a flow of more than ${MAX_DATAFLOW_STEPS} steps gets the graph rules and one flow-too-large warning`, () => {
    const text = generateFlow(MAX_DATAFLOW_STEPS + 10).replace('this.next(this.end);', 'this.next(this.ned);');
    const r = analyzeText('/faults/big-flow.ts', text, { types: false });
    assert.deepEqual(r.diagnostics.map((d) => d.code).sort(), ['flow-too-large', 'unknown-step', 'unreachable-step']);
    const warning = r.diagnostics.find((d) => d.code === 'flow-too-large')!;
    assert.equal(warning.severity, 'warning');
    const steps = r.flows[0].steps.length.toLocaleString('en-US');
    assert.equal(
      warning.message,
      `Bench${MAX_DATAFLOW_STEPS + 10}Flow has ${steps} steps: the artifact checks are skipped above 2,000 steps (the graph is still checked)`,
    );
  });
});

function positionIn(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
