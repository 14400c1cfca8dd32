// Language server bench: flows of 20, 200, 1,000, 5,000 and 20,000 steps, edited through the BUILT
// server over stdio. Prints the time from didOpen to the first diagnostics, p50/p95 from didChange
// to publishDiagnostics (debounce included), the server's CPU time per edit, its resident memory
// and the diagnostics' codes. Flows over 2,000 steps get the graph rules only (flow-too-large);
// files over 1,000,000 characters (20,000 steps here, 2.9 MB) get one file-too-large warning.
// Run `npm run build` first, then `npm run bench:lsp`.
import { readFileSync } from 'node:fs';
import { LspClient } from '../test/server/lspClient';

/** A flow of about `n` steps mixing branches, joins with mergeArtifacts, foreaches and linear steps. */
export function generateFlow(n: number): string {
  const lines = [
    "import { FlowSpec, step, Parameter, Inputs } from 'flowspec';",
    '',
    `export class Bench${n}Flow extends FlowSpec {`,
    "  rate = Parameter('rate', { default: 0.5 });",
    '',
  ];
  let count = 0;
  let prev = 'start';
  let prevBody = '    this.seed = 1;';
  const emit = (name: string, body: string, next: string, params = '') => {
    lines.push(`  /** Step ${name}. */`, `  @step ${name}(${params}) {`, body, `    ${next}`, '  }', '');
    count++;
  };
  let block = 0;
  while (count + 9 < n) {
    const b = `b${block++}`;
    emit(prev, prevBody, `this.next(this.${b}_a, this.${b}_b);`, prev.endsWith('_fj') ? 'inputs: Inputs' : '');
    emit(`${b}_a`, `    this.${b}_x = ${block} * this.rate;\n    this.shared = 1;`, `this.next(this.${b}_j);`);
    emit(`${b}_b`, `    this.${b}_y = [1, 2, 3];\n    this.shared = 1;`, `this.next(this.${b}_j);`);
    emit(`${b}_j`, '    this.mergeArtifacts(inputs);\n    this.items = this.' + `${b}_y.map((v: number) => v + this.${b}_x);`, `this.next(this.${b}_f);`, 'inputs: Inputs');
    emit(`${b}_f`, `    this.total = this.items.length;`, `this.next(this.${b}_fe, { foreach: 'items' });`);
    emit(`${b}_fe`, `    this.v = this.input * 2;`, `this.next(this.${b}_fj);`);
    prev = `${b}_fj`;
    prevBody = `    this.vs = inputs.map((i: any) => i.v);\n    this.mergeArtifacts(inputs, { exclude: ['v'] });`;
  }
  while (count < n - 1) {
    const name = `tail${count}`;
    emit(prev, prevBody, `this.next(this.${name});`, prev.endsWith('_fj') ? 'inputs: Inputs' : '');
    prev = name;
    prevBody = `    this.t${count} = ${count};`;
  }
  emit(prev, prevBody, 'this.next(this.end);', prev.endsWith('_fj') ? 'inputs: Inputs' : '');
  lines.push('  @step end() {', '    console.log(this.seed);', '  }', '}', '');
  return lines.join('\n');
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** User + system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main() {
  const client = new LspClient();
  await client.initialize();
  const rows: string[] = [];
  for (const [n, edits] of [[20, 60], [200, 40], [1000, 20], [5000, 5], [20000, 5]] as const) {
    const uri = `file:///bench/flow${n}.ts`;
    const text = generateFlow(n);
    const opened = performance.now();
    await client.open(uri, text);
    await client.flush();
    await client.waitFor(uri, () => true, 600000);
    const firstMs = performance.now() - opened;
    const cpu0 = cpuSeconds(client.proc.pid!);
    const latencies: number[] = [];
    let seed = '1';
    for (let i = 0; i < edits; i++) {
      // Edit the value `this.seed = <k>;` in start: every change is a real text change.
      const start = client.positionOf(uri, 'this.seed = ', 12);
      const endPos = client.positionOf(uri, 'this.seed = ', 12 + seed.length);
      seed = String(i + 100);
      const t0 = performance.now();
      const published = new Promise<void>((resolve) => { client.onPublish = (p) => { if (p.uri === uri) resolve(); }; });
      await client.change(uri, { start, end: endPos }, seed);
      await published;
      latencies.push(performance.now() - t0);
    }
    client.onPublish = undefined;
    const cpuPerEdit = ((cpuSeconds(client.proc.pid!) - cpu0) * 1000) / edits;
    const codes = [...new Set((client.diagnostics.get(uri) ?? []).map((d) => d.code))].join(',') || 'none';
    rows.push(`${String(n).padStart(5)} steps ${(text.length / 1e6).toFixed(2)} MB  first ${firstMs.toFixed(0).padStart(6)} ms  `
      + `p50 ${percentile(latencies, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(latencies, 95).toFixed(1).padStart(7)} ms  cpu ${cpuPerEdit.toFixed(0)} ms/edit  `
      + `rss ${rssMb(client.proc.pid!, 'VmRSS')} MB (peak ${rssMb(client.proc.pid!, 'VmHWM')} MB)  diagnostics ${codes}`);
    console.log(rows[rows.length - 1]);
    await client.close(uri);
  }
  await client.stop();
}

if (require.main === module) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
