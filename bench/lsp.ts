// Language server bench: flows of 20, 200, 1,000, 5,000 and 20,000 steps, edited through the BUILT
// server over stdio. Prints the time from didOpen to the first diagnostics, p50/p95 from didChange
// to publishDiagnostics (debounce included), the server's CPU time per edit, its resident memory
// and the diagnostics' codes. Flows over 2,000 steps get the graph rules only (flow-too-large);
// files over 1,000,000 characters (20,000 steps here, 2.9 MB) get one file-too-large warning.
// Run `npm run build` first, then `npm run bench:lsp`.
import { firstDiagnostics, openDocument, serverCpuSeconds, serverMemory, serverMemoryMb, startServer } from './support/lspServer';
import { generateFlow } from './support/benchFlow';
import { figure, type Goal } from './support/figure';

/** The goals of diagnostics latency (p50 after an edit) by flow size. */
const LATENCY_GOALS: Record<number, Goal> = { 200: { atMost: 100 }, 1000: { atMost: 400 } };

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main() {
  const client = await startServer();
  const rows: string[] = [];
  for (const [n, edits] of [
    [20, 60],
    [200, 40],
    [1000, 20],
    [5000, 5],
    [20000, 5],
  ] as const) {
    const uri = `file:///bench/flow${n}.ts`;
    const text = generateFlow(n);
    const opened = performance.now();
    await openDocument(client, uri, text);
    await firstDiagnostics(client, uri);
    const firstMs = performance.now() - opened;
    const cpu0 = serverCpuSeconds(client);
    const latencies: number[] = [];
    let seed = '1';
    for (let i = 0; i < edits; i++) {
      // Edit the value `this.seed = <k>;` in start: every change is a real text change.
      const start = client.positionOf(uri, 'this.seed = ', 12);
      const endPos = client.positionOf(uri, 'this.seed = ', 12 + seed.length);
      seed = String(i + 100);
      const t0 = performance.now();
      const published = new Promise<void>((resolve) => {
        client.onPublish = (p) => {
          if (p.uri === uri) resolve();
        };
      });
      await client.change(uri, { start, end: endPos }, seed);
      await published;
      latencies.push(performance.now() - t0);
    }
    client.onPublish = undefined;
    const cpuPerEdit = ((serverCpuSeconds(client) - cpu0) * 1000) / edits;
    const codes = [...new Set((client.diagnostics.get(uri) ?? []).map((d) => d.code))].join(',') || 'none';
    rows.push(
      `${String(n).padStart(5)} steps ${(text.length / 1e6).toFixed(2)} MB  first ${firstMs.toFixed(0).padStart(6)} ms  ` +
        `p50 ${percentile(latencies, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(latencies, 95).toFixed(1).padStart(7)} ms  cpu ${cpuPerEdit.toFixed(0)} ms/edit  ` +
        `${serverMemory(client)}  diagnostics ${codes}`,
    );
    console.log(rows[rows.length - 1]);
    if (n <= 1000) figure(`diagnostics after an edit, p50, ${n} steps`, percentile(latencies, 50), 'ms', LATENCY_GOALS[n]);
    else figure(`server CPU per edit, ${n} steps`, cpuPerEdit, 'ms', undefined, codes);
    if (n >= 1000)
      figure(`server peak memory, ${n} steps`, serverMemoryMb(client, 'VmHWM'), 'MB', n === 1000 ? { atMost: 300 } : undefined);
    await client.close(uri);
  }
  await client.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
