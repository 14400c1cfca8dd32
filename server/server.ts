// The language server: wires TextDocuments events and LSP requests to the pure functions of
// analysis/ and services/. Every handler is timed, and a failing handler logs and answers empty.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, Connection, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisResult, analyzeText, forgetDocument, mayContainFlow } from '../analyzer';
import { Scheduler } from './scheduler';
import { collectAfterLargeAnalysis } from './memory';
import { toLspDiagnostic } from './services/convert';
import { hover } from './services/hover';
import { complete } from './services/completion';
import { documentSymbols } from './services/symbols';
import { quickFixes } from './services/codeActions';
import { FlowsParams, flowsOf } from './services/flows';
import { analyzeParams, datastoreRootFor, diskHost, ParamsAnalysis, paramsLanguage, RefResolver } from './params';
import { paramsDiagnostics, paramsHoverAt, paramsQuickFixes } from './services/params';
import { isS3Root } from '../runtime/datastore';
import { LocalDatastore } from '../runtime/datastore/local';

export interface ServerOptions {
  /** Debounce between an edit and its (syntax-only) analysis. */
  debounceMs?: number;
  /** Pause after which the type-based checks run, when the document needs them. */
  typesDelayMs?: number;
}

const EMPTY: AnalysisResult = { flows: [], diagnostics: [] };

function uriToPath(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new Map<string, { version: number; result: AnalysisResult; typed: boolean }>();
  const published = new Set<string>();
  const log = (m: string) => connection.console.log(m);

  /** Times a handler; on error logs it and returns the fallback. */
  function timed<T>(name: string, fallback: T, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } catch (e) {
      connection.console.error(`${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return fallback;
    } finally {
      log(`${name} took ${Math.round(performance.now() - t0)}ms`);
    }
  }

  /**
   * The analysis of the document's current text (from the cache when it is up to date). The fast
   * pass reuses earlier type-based answers; `typed` runs the type checker where it is needed.
   */
  function analysisOf(doc: TextDocument, typed = false): AnalysisResult {
    const hit = cache.get(doc.uri);
    if (hit && hit.version === doc.version && (hit.typed || !typed)) return hit.result;
    const text = doc.getText();
    const result = mayContainFlow(text) ? analyzeText(uriToPath(doc.uri), text, { types: typed ? true : 'cached' }) : EMPTY;
    cache.set(doc.uri, { version: doc.version, result, typed: typed || !result.typesPending });
    return result;
  }

  // Params files (YAML/JSON): checked against the flow they are for and the datastore's runs.
  // The flows of open documents come from their buffers, other flow files from the disk.
  const isParamsDocument = (doc: TextDocument) => paramsLanguage(uriToPath(doc.uri), doc.languageId) !== undefined;
  const openDocumentAt = (path: string) => documents.all().find((d) => uriToPath(d.uri) === path);
  const paramsHost = diskHost((path) => {
    const doc = openDocumentAt(path);
    return doc && !isParamsDocument(doc) ? analysisOf(doc).flows : undefined;
  });
  // s3:// datastores are not read from the editor: their refs are checked when the run starts.
  const refResolver = new RefResolver((root) => (isS3Root(root) ? undefined : new LocalDatastore(root)));

  function paramsAnalysisOf(doc: TextDocument): ParamsAnalysis | undefined {
    const path = uriToPath(doc.uri);
    const root = datastoreRootFor(path);
    return analyzeParams(path, doc.getText(), paramsHost, refResolver.lookup(root));
  }

  function validateParams(doc: TextDocument): void {
    const { uri, version } = doc;
    const analysis = timed(`validate params ${uri}`, undefined, () => paramsAnalysisOf(doc));
    if (documents.get(uri)?.version !== version) return;
    // Not a params file (another tool's YAML/JSON): nothing to say.
    if (!analysis) {
      if (published.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    published.add(uri);
    void connection.sendDiagnostics({ uri, version, diagnostics: paramsDiagnostics(analysis) });
  }

  function validate(uri: string, typed = false): void {
    const doc = documents.get(uri);
    if (!doc) return;
    if (isParamsDocument(doc)) return validateParams(doc);
    const version = doc.version;
    const result = timed(`validate${typed ? ' (types)' : ''} ${uri}`, EMPTY, () => analysisOf(doc, typed));
    if (!typed && result.typesPending) typeScheduler.schedule(uri);
    // The params files open beside it may be for this flow: check them again.
    if (result.flows.length && !typed) for (const d of documents.all()) if (isParamsDocument(d)) scheduler.schedule(d.uri);
    // Dropped if the document changed meanwhile: a newer analysis is already scheduled.
    if (documents.get(uri)?.version !== version) return;
    if (result.flows.length === 0 && !published.has(uri)) return;
    if (result.flows.length === 0) published.delete(uri);
    else published.add(uri);
    void connection.sendDiagnostics({ uri, version, diagnostics: result.diagnostics.map(toLspDiagnostic) });
    collectAfterLargeAnalysis(doc.getText().length);
  }

  const scheduler = new Scheduler(options.debounceMs ?? 50, (uri) => validate(uri));
  const typeScheduler = new Scheduler(options.typesDelayMs ?? 400, (uri) => validate(uri, true));

  connection.onInitialize(() => {
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', "'", '"'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
      },
      serverInfo: { name: 'flowspec' },
    };
  });

  documents.onDidOpen((e) => scheduler.schedule(e.document.uri));
  documents.onDidChangeContent((e) => {
    typeScheduler.cancel(e.document.uri);
    scheduler.schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    scheduler.cancel(e.document.uri);
    typeScheduler.cancel(e.document.uri);
    cache.delete(e.document.uri);
    forgetDocument(uriToPath(e.document.uri));
    if (published.delete(e.document.uri)) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover((p) => timed('hover', null, () => {
    const doc = documents.get(p.textDocument.uri);
    if (doc && isParamsDocument(doc)) {
      const analysis = paramsAnalysisOf(doc);
      return analysis ? paramsHoverAt(analysis, doc.getText(), p.position) : null;
    }
    return doc ? hover(analysisOf(doc), p.position) : null;
  }));

  connection.onCompletion((p) => timed('completion', [], () => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc || isParamsDocument(doc)) return [];
    const before = doc.getText({ start: { line: Math.max(0, p.position.line - 5), character: 0 }, end: p.position });
    return complete(analysisOf(doc), before, p.position);
  }));

  connection.onCodeAction((p) => timed('codeAction', [], () => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    if (p.context.only && !p.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
    if (isParamsDocument(doc)) {
      const analysis = paramsAnalysisOf(doc);
      return analysis ? paramsQuickFixes(doc.uri, doc.getText(), analysis, p.range) : [];
    }
    return quickFixes(doc.uri, doc.getText(), analysisOf(doc), p.range);
  }));

  connection.onDocumentSymbol((p) => timed('documentSymbol', [], () => {
    const doc = documents.get(p.textDocument.uri);
    return doc && !isParamsDocument(doc) ? documentSymbols(analysisOf(doc)) : [];
  }));

  connection.onRequest('flowspec/flows', (p: FlowsParams) => timed('flowspec/flows', { flows: [] }, () => {
    const doc = documents.get(p.uri);
    if (doc) return flowsOf(analysisOf(doc));
    // Not open in the editor: read it from disk.
    const path = uriToPath(p.uri);
    const text = readFileSync(path, 'utf8');
    return flowsOf(mayContainFlow(text) ? analyzeText(path, text) : EMPTY);
  }));

  // Tests: run pending analyses now, the type-based pass included; resolves after publishing.
  connection.onRequest('flowspec/flush', () => timed('flowspec/flush', null, () => {
    scheduler.flush();
    typeScheduler.flush();
    return null;
  }));

  documents.listen(connection);
  connection.listen();
}
