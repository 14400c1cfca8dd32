// A minimal editor for tests and the bench: spawns the BUILT server (dist/server.js --stdio) and
// speaks LSP over its stdio with vscode-jsonrpc.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import type { Diagnostic, Position, PublishDiagnosticsParams } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const SERVER = join(__dirname, '../../dist/server.js');

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly logs: string[] = [];
  private waiters: Array<{ uri: string; check: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  private docs = new Map<string, TextDocument>();
  /** Called on every publishDiagnostics (the bench times them). */
  onPublish?: (p: PublishDiagnosticsParams) => void;

  constructor(env: NodeJS.ProcessEnv = {}) {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.proc.stderr!.on('data', (d) => this.logs.push(String(d)));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.onPublish?.(p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== p.uri || !w.check(p.diagnostics)) return true;
        w.resolve(p.diagnostics);
        return false;
      });
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.conn.listen();
  }

  async initialize(workspaceFolders: Array<{ uri: string; name: string }> | null = null): Promise<unknown> {
    const r = await this.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, workspaceFolders, capabilities: {} });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  async open(uri: string, text: string, languageId = 'typescript'): Promise<void> {
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** An incremental change: replace `range` with `text`. */
  async change(
    uri: string,
    range: { start: { line: number; character: number }; end: { line: number; character: number } } | undefined,
    text: string,
  ): Promise<void> {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    this.docs.set(uri, TextDocument.update(doc, [range ? { range, text } : { text }], version));
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [range ? { range, text } : { text }],
    });
  }

  text(uri: string): string {
    return this.docs.get(uri)!.getText();
  }

  /** Position of the `nth` occurrence of `search` in the document, moved `delta` characters. */
  positionOf(uri: string, search: string, delta = 0, nth = 0): Position {
    const doc = this.docs.get(uri)!;
    let at = -1;
    for (let i = 0; i <= nth; i++) at = doc.getText().indexOf(search, at + 1);
    if (at < 0) throw new Error(`'${search}' not in ${uri}`);
    return doc.positionAt(at + delta);
  }

  /** Replaces the first occurrence of `search` by `replacement`, as an incremental change. */
  async edit(uri: string, search: string, replacement: string): Promise<void> {
    const start = this.positionOf(uri, search);
    const end = this.positionOf(uri, search, search.length);
    await this.change(uri, { start, end }, replacement);
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Files changed on disk, as the editor's file watcher reports them (type 1 created, 2 changed, 3 deleted). */
  async filesChanged(changes: Array<{ uri: string; type: 1 | 2 | 3 }>): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  /** Runs the server's pending analyses now; their diagnostics arrive before this resolves. */
  async flush(): Promise<void> {
    await this.conn.sendRequest('flowspec/flush', {});
  }

  /** Waits for diagnostics of `uri` that satisfy `check`, with a deadline. */
  waitFor(uri: string, check: (d: Diagnostic[]) => boolean, timeoutMs = 5000): Promise<Diagnostic[]> {
    const current = this.diagnostics.get(uri);
    if (current && check(current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs}ms`)), timeoutMs);
      this.waiters.push({
        uri,
        check,
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
      });
    });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 1000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}
