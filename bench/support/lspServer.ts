// What the language-server benches share: the BUILT server started over stdio (test/server's
// LspClient: spawn, initialize), a document opened and analysed, and what the server process has
// used, read from /proc. Run `npm run build` first.
import { readFileSync } from 'node:fs';
import { LspClient } from '../../test/server/lspClient';

export async function startServer(): Promise<LspClient> {
  const client = new LspClient();
  await client.initialize();
  return client;
}

/** Opens a document and returns once the server has analysed it (it answers a flush after that). */
export async function openDocument(client: LspClient, uri: string, text: string): Promise<void> {
  await client.open(uri, text);
  await client.flush();
}

/** The first diagnostics the server publishes for a flow (a document without flows gets none). */
export async function firstDiagnostics(client: LspClient, uri: string): Promise<void> {
  await client.waitFor(uri, () => true, 600000);
}

/** User + system CPU seconds the server has used so far. */
export function serverCpuSeconds(client: LspClient): number {
  const fields = readFileSync(`/proc/${client.proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The server's resident memory now and at its peak, as the benches print it. */
export function serverMemory(client: LspClient): string {
  return `rss ${serverMemoryMb(client, 'VmRSS')} MB (peak ${serverMemoryMb(client, 'VmHWM')} MB)`;
}

/** The server's resident memory now (VmRSS) or at its peak (VmHWM), in MB. */
export function serverMemoryMb(client: LspClient, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${client.proc.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}
