// Artifact navigation bench: the generated flow of 200 steps (bench/support/benchFlow.ts), run
// once by the CLI into a temp datastore so hover has a latest run to read, then asked through the
// BUILT server over stdio. Prints p50/p95 of hover, definition, references, prepareRename + rename
// and document highlights; the first hover (the last-run reader thread starting); how long after
// an edit that changes an artifact's type the hover shows the new type (the generated declarations',
// refreshed at once for it; and the server's CPU for it), and how long until the declarations on disk
// (what the editor's TypeScript reads) have it when nothing asks; and first, the generator alone in
// this process: its CPU per refresh after such an edit (and how many artifacts it asked TypeScript for again).
// Run `npm run build` first, then `npm run bench:lsp-nav` (FLOWS=20,200 for other sizes).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver';
import { refreshTypes } from '../analyzer';
import { runCli } from '../test/support/cli';
import { LspClient } from '../test/server/lspClient';
import { generateFlow } from './support/benchFlow';
import { openDocument, serverCpuSeconds, serverMemory } from './support/lspServer';
import { figure } from './support/figure';

const ROUNDS = 40;

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const hoverText = (h: Hover | null) => (h ? (h.contents as { value: string }).value : '');

async function bench(n: number): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'flowspec-navbench-'));
  const file = join(folder, `flow${n}.ts`);
  const text = generateFlow(n);
  writeFileSync(file, text);
  const t0 = performance.now();
  const run = runCli(['run', file, '--max-workers', '2'], join(folder, '.flowspec'));
  if (run.code !== 0) throw new Error(`the bench flow did not run: ${run.stderr}`);
  const runSeconds = (performance.now() - t0) / 1000;

  const client = new LspClient({ FLOWSPEC_DATASTORE_ROOT: undefined });
  await client.initialize([{ uri: pathToFileURL(folder).href, name: 'bench' }]);
  const uri = pathToFileURL(file).href;
  await openDocument(client, uri, text);
  const doc = { textDocument: { uri } };
  // A read in the middle of the flow, the foreach string there, the last step's read.
  const middle = `b${Math.floor(n / 18)}`;
  const read = client.positionOf(uri, `this.${middle}_y.map`, 6);
  const foreach = client.positionOf(
    uri,
    `this.next(this.${middle}_fe, { foreach: 'items' })`,
    `this.next(this.${middle}_fe, { foreach: '`.length,
  );
  const seed = client.positionOf(uri, 'console.log(this.seed)', 'console.log(this.'.length);

  const firstHover = await timed(() => client.request('textDocument/hover', { ...doc, position: read }));
  const rows: Array<[string, () => Promise<unknown>]> = [
    ['hover', () => client.request('textDocument/hover', { ...doc, position: read })],
    ['definition', () => client.request('textDocument/definition', { ...doc, position: foreach })],
    ['references', () => client.request('textDocument/references', { ...doc, position: read, context: { includeDeclaration: true } })],
    [
      'rename',
      async () => {
        await client.request('textDocument/prepareRename', { ...doc, position: read });
        await client.request('textDocument/rename', { ...doc, position: read, newName: 'renamed' });
      },
    ],
    ['highlights', () => client.request('textDocument/documentHighlight', { ...doc, position: seed })],
  ];
  const out: string[] = [];
  for (const [name, ask] of rows) {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) times.push(await timed(ask));
    out.push(`${name} p50 ${percentile(times, 50).toFixed(1)} ms p95 ${percentile(times, 95).toFixed(1)} ms`);
    figure(`${name}, p50, ${n} steps`, percentile(times, 50), 'ms', { atMost: 50 });
  }
  const value = hoverText(await client.request<Hover>('textDocument/hover', { ...doc, position: read }));
  if (!/latest run/.test(value)) throw new Error(`the hover shows no latest run:\n${value}`);

  // An edit that changes an artifact's type (`this.seed = 1` → a string), then hover on its read in end.
  const typeTimes: number[] = [];
  const cpu0 = serverCpuSeconds(client);
  for (let i = 0; i < 10; i++) {
    const literal = i % 2 === 0 ? `'s${i}'` : String(i);
    const wanted = i % 2 === 0 ? 'string' : 'number';
    const current = client.text(uri).match(/this\.seed = ([^;]+);/)![1];
    const start = client.positionOf(uri, 'this.seed = ', 12);
    const t = performance.now();
    await client.change(uri, { start, end: client.positionOf(uri, 'this.seed = ', 12 + current.length) }, literal);
    for (;;) {
      const h = await client.request<Hover>('textDocument/hover', { ...doc, position: seed });
      if (hoverText(h).includes(`\`seed\`: \`${wanted}\``)) break;
    }
    typeTimes.push(performance.now() - t);
  }
  const typeCpuMs = ((serverCpuSeconds(client) - cpu0) * 1000) / 10;
  figure(
    `hover's type after an edit that changes it, p50, ${n} steps`,
    percentile(typeTimes, 50),
    'ms',
    { atMost: 200 },
    `server CPU ${typeCpuMs.toFixed(0)} ms`,
  );

  // The same edit, nothing asked: how long until the declarations the editor's TypeScript reads
  // (.flowspec-types/, no tsconfig here: beside the flow) hold the new type. Includes the pause the
  // server waits for after typing stops.
  const declarations = join(folder, '.flowspec-types', `flow${n}.d.ts`);
  const writeTimes: number[] = [];
  for (let i = 0; i < 10; i++) {
    const wanted = i % 2 === 0 ? 'number' : 'string';
    const current = client.text(uri).match(/this\.seed = ([^;]+);/)![1];
    const start = client.positionOf(uri, 'this.seed = ', 12);
    const t = performance.now();
    await client.change(uri, { start, end: client.positionOf(uri, 'this.seed = ', 12 + current.length) }, i % 2 === 0 ? `${i}` : `'w${i}'`);
    while (!readText(declarations).includes(`    seed: ${wanted};\n`)) await new Promise((r) => setTimeout(r, 5));
    writeTimes.push(performance.now() - t);
  }
  figure(`declarations rewritten after an edit, p50, ${n} steps`, percentile(writeTimes, 50), 'ms', {
    words: 'the 300 ms pause after typing + the refresh',
  });
  console.log(
    `${String(n).padStart(4)} steps (run ${runSeconds.toFixed(0)} s)  first hover ${firstHover.toFixed(0)} ms  ${out.join('  ')}  ` +
      `type after edit p50 ${percentile(typeTimes, 50).toFixed(1)} ms p95 ${percentile(typeTimes, 95).toFixed(1)} ms (server cpu ${typeCpuMs.toFixed(0)} ms)  ` +
      `declarations after edit p50 ${percentile(writeTimes, 50).toFixed(1)} ms  ${serverMemory(client)}`,
  );
  await client.stop();
  rmSync(folder, { recursive: true, force: true });
}

/**
 * The generator alone, in this process (as the server's types thread runs it): CPU and wall time of
 * a refresh after an edit that changes an artifact's type, past the first two (the program's cold start).
 */
function generatorRefresh(n: number): void {
  const folder = mkdtempSync(join(tmpdir(), 'flowspec-navbench-types-'));
  const file = join(folder, `flow${n}.ts`);
  let text = generateFlow(n);
  writeFileSync(file, text);
  const cpu: number[] = [];
  const wall: number[] = [];
  let rechecked = '';
  for (let i = 0; i < 12; i++) {
    text = text.replace(/this\.seed = [^;]+;/, `this.seed = ${i % 2 ? `'s${i}'` : i};`);
    const t = performance.now();
    const c = process.cpuUsage();
    const [refreshed] = refreshTypes([file], { texts: new Map([[file, text]]) });
    const used = process.cpuUsage(c);
    if (i < 2) continue;
    wall.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
    const g = refreshed.results[0];
    rechecked = `${g.rechecked.length} of ${g.flows.reduce((k, f) => k + f.artifacts.length, 0)} artifacts re-checked`;
  }
  figure(
    `types refresh after an edit (the generator's CPU), p50, ${n} steps`,
    percentile(cpu, 50),
    'ms',
    { atMost: 200 },
    `wall ${percentile(wall, 50).toFixed(0)} ms, ${rechecked}`,
  );
  rmSync(folder, { recursive: true, force: true });
}

async function main() {
  for (const n of (process.env.FLOWS ?? '200').split(',').map(Number)) {
    generatorRefresh(n);
    await bench(n);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
