// Language server under a storm of random edits, through the BUILT server over stdio. Prints the
// edits per second it sustains (from the first edit to the answer of the flush sent after the
// last), the server's CPU time per edit (what does not depend on the machine's load), its
// resident memory afterwards, and the CPU it still uses in the 2 s after the flush (a server
// that keeps working through a backlog shows here). Run `npm run build` first, then
// `npm run bench:lsp-stress`.
import { openDocument, serverCpuSeconds, serverMemory, startServer } from './support/lspServer';
import { generateFlow } from './support/benchFlow';
import { figure } from './support/figure';

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const PIECES = ['this.next(', 'this.', ')', '(', '{', '}', "'", '@step ', 'extends FlowSpec', ';', '\n', 'x', 'this.x = 1;'];

async function storm(label: string, text: string, edits: number, uri: string): Promise<void> {
  const client = await startServer();
  await openDocument(client, uri, text);
  const rand = rng(5);
  const cpuStart = serverCpuSeconds(client);
  const t0 = performance.now();
  for (let i = 0; i < edits; i++) {
    const doc = client.text(uri);
    const at = Math.floor(rand() * doc.length);
    const start = positionIn(doc, at);
    const end = positionIn(doc, Math.min(doc.length, at + (rand() < 0.4 ? Math.floor(rand() * 20) : 0)));
    await client.change(uri, { start, end }, rand() < 0.7 ? PIECES[Math.floor(rand() * PIECES.length)] : '');
  }
  await client.flush();
  const seconds = (performance.now() - t0) / 1000;
  const cpu0 = serverCpuSeconds(client);
  const perEdit = ((cpu0 - cpuStart) * 1000) / edits;
  await new Promise((r) => setTimeout(r, 2000));
  const idleCpu = (serverCpuSeconds(client) - cpu0) / 2;
  console.log(
    `${label.padEnd(30)} ${String(edits).padStart(5)} edits  ${(edits / seconds).toFixed(0).padStart(5)} edits/s  server cpu ${perEdit.toFixed(1)} ms/edit  ` +
      `${serverMemory(client)}  cpu after flush ${(idleCpu * 100).toFixed(0)}%`,
  );
  figure(`edits a second, ${edits} random edits, ${label}`, edits / seconds, 'edits/s');
  // A server that keeps working through a backlog after the flush shows here.
  figure(`server CPU in the 2 s after the flush, ${label}`, idleCpu * 100, '%', { atMost: 5 });
  await client.stop();
}

function positionIn(text: string, offset: number): { line: number; character: number } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < lineStart; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - lineStart };
}

function randomPrintable(length: number): string {
  const rand = rng(9);
  const codes = new Uint8Array(length);
  for (let i = 0; i < length; i++) codes[i] = rand() < 0.03 ? 10 : 32 + Math.floor(rand() * 95);
  return Buffer.from(codes).toString('latin1');
}

async function main() {
  await storm('flow of 200 steps (29 KB)', generateFlow(200), 5000, 'file:///bench/storm200.ts');
  await storm('flow of 1,000 steps (146 KB)', generateFlow(1000), 5000, 'file:///bench/storm1000.ts');
  // Every edit copies the whole text on both sides of the connection: fewer edits.
  await storm('random text, 5 MB', randomPrintable(5_000_000), 300, 'file:///bench/garbage.ts');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
