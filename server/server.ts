// The language server: wires TextDocuments events and LSP requests to the pure functions of
// analysis/ and services/. Every handler is timed, and a failing handler logs and answers empty.
// Analyses after edits run in turns (analyzer/analyze.ts `analysisTurns`): between turns newer
// edits come in, and an analysis they made stale stops there.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CodeActionKind, Connection, ErrorCodes, ResponseError, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisResult, analysisTurns, forgetDocument, mayContainFlow } from '../analyzer';
import { Scheduler } from './scheduler';
import { FileRefused, fileTooLarge, formatCount, MAX_DOCUMENT_CHARS, readRegularFile } from './limits';
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

  // Every handler is timed and never throws: a failure is logged and answered with a fallback.
  const logFailure = (name: string, e: unknown) =>
    connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  const logTime = (name: string, t0: number) => log(`${name} took ${Math.round(performance.now() - t0)}ms`);

  /** `timed` for a handler that returns a promise. */
  async function timedAsync<T>(name: string, fallback: T, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } catch (e) {
      logFailure(name, e);
      return fallback;
    } finally {
      logTime(name, t0);
    }
  }

  /** Times a handler; on error logs it and returns the fallback. */
  function timed<T>(name: string, fallback: T, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } catch (e) {
      logFailure(name, e);
      return fallback;
    } finally {
      logTime(name, t0);
    }
  }

  /**
   * The analysis of the document's current text, in turns (from the cache when it is up to date).
   * The fast pass reuses earlier type-based answers; `typed` runs the type checker where needed.
   */
  function* analysisInTurns(doc: TextDocument, typed: boolean): Generator<void, AnalysisResult, void> {
    const hit = cache.get(doc.uri);
    if (hit && hit.version === doc.version && (hit.typed || !typed)) return hit.result;
    const text = doc.getText();
    const result =
      text.length > MAX_DOCUMENT_CHARS
        ? tooLarge(doc, text)
        : yield* analysisTurns(uriToPath(doc.uri), text, { types: typed ? true : 'cached' });
    cache.set(doc.uri, { version: doc.version, result, typed: typed || !result.typesPending });
    return result;
  }

  /** The analysis at once (hover, completion... need it now). */
  function analysisOf(doc: TextDocument, typed = false): AnalysisResult {
    const turns = analysisInTurns(doc, typed);
    for (;;) {
      const r = turns.next();
      if (r.done) return r.value;
    }
  }

  /** The analysis with the event loop let in between turns; undefined once an edit made it stale. */
  async function freshAnalysisOf(doc: TextDocument, typed: boolean): Promise<AnalysisResult | undefined> {
    const { uri, version } = doc;
    const turns = analysisInTurns(doc, typed);
    for (;;) {
      const r = turns.next();
      if (r.done) return r.value;
      await nextTurn();
      if (documents.get(uri)?.version !== version) {
        turns.return(EMPTY);
        log(`validate ${uri} dropped: edited meanwhile`);
        return undefined;
      }
    }
  }

  // Documents over the limit: said once in the log (until they shrink), one warning on a flow file.
  const oversized = new Set<string>();
  function noteOversized(uri: string, chars: number): void {
    if (oversized.has(uri)) return;
    oversized.add(uri);
    log(`${uri} has ${formatCount(chars)} characters, over the ${formatCount(MAX_DOCUMENT_CHARS)} the server analyses: not analysed`);
  }

  function tooLarge(doc: TextDocument, text: string): AnalysisResult {
    noteOversized(doc.uri, text.length);
    const match = /extends\s+(?:[\w$]+\s*\.\s*)?FlowSpec\b/.exec(text);
    return match ? { flows: [], diagnostics: [fileTooLarge(text.length, doc.positionAt(match.index))] } : EMPTY;
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
    const size = doc.getText().length;
    if (size > MAX_DOCUMENT_CHARS) noteOversized(uri, size);
    const analysis = size > MAX_DOCUMENT_CHARS ? undefined : timed(`validate params ${uri}`, undefined, () => paramsAnalysisOf(doc));
    if (documents.get(uri)?.version !== version) return;
    // Not a params file (another tool's YAML/JSON): nothing to say.
    if (!analysis) {
      if (published.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    published.add(uri);
    void connection.sendDiagnostics({ uri, version, diagnostics: paramsDiagnostics(analysis) });
  }

  async function validate(uri: string, typed = false): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    if (isParamsDocument(doc)) return validateParams(doc);
    const version = doc.version;
    const result = await timedAsync(`validate${typed ? ' (types)' : ''} ${uri}`, EMPTY, () => freshAnalysisOf(doc, typed));
    // Stale: the edit that made it so has scheduled the next analysis.
    if (!result) return;
    if (doc.getText().length <= MAX_DOCUMENT_CHARS) oversized.delete(uri);
    if (!typed && result.typesPending) typeScheduler.schedule(uri);
    // The params files open beside it may be for this flow: check them again.
    if (result.flows.length && !typed) for (const d of documents.all()) if (isParamsDocument(d)) scheduler.schedule(d.uri);
    // Dropped if the document changed meanwhile: a newer analysis is already scheduled.
    if (documents.get(uri)?.version !== version) return;
    // A file with flows, or with a diagnostic about the file itself (too large, nested too deeply).
    const flowFile = result.flows.length > 0 || result.diagnostics.length > 0;
    if (!flowFile && !published.has(uri)) return;
    if (!flowFile) published.delete(uri);
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
    oversized.delete(e.document.uri);
    forgetDocument(uriToPath(e.document.uri));
    if (published.delete(e.document.uri)) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover((p) =>
    timed('hover', null, () => {
      const doc = documents.get(p.textDocument.uri);
      if (doc && isParamsDocument(doc)) {
        const analysis = paramsAnalysisOf(doc);
        return analysis ? paramsHoverAt(analysis, doc.getText(), p.position) : null;
      }
      return doc ? hover(analysisOf(doc), p.position) : null;
    }),
  );

  connection.onCompletion((p) =>
    timed('completion', [], () => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc || isParamsDocument(doc)) return [];
      const before = doc.getText({ start: { line: Math.max(0, p.position.line - 5), character: 0 }, end: p.position });
      return complete(analysisOf(doc), before, p.position);
    }),
  );

  connection.onCodeAction((p) =>
    timed('codeAction', [], () => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc) return [];
      if (p.context.only && !p.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
      if (isParamsDocument(doc)) {
        const analysis = paramsAnalysisOf(doc);
        return analysis ? paramsQuickFixes(doc.uri, doc.getText(), analysis, p.range) : [];
      }
      return quickFixes(doc.uri, doc.getText(), analysisOf(doc), p.range);
    }),
  );

  connection.onDocumentSymbol((p) =>
    timed('documentSymbol', [], () => {
      const doc = documents.get(p.textDocument.uri);
      return doc && !isParamsDocument(doc) ? documentSymbols(analysisOf(doc)) : [];
    }),
  );

  connection.onRequest('flowspec/flows', (p: FlowsParams) =>
    timed('flowspec/flows', { flows: [] }, () => {
      const doc = documents.get(p.uri);
      if (doc) return flowsOf(analysisOf(doc));
      // Not open in the editor: read it from disk (a regular file within the size limit only).
      const path = uriToPath(p.uri);
      let text: string;
      try {
        text = readRegularFile(path);
      } catch (e) {
        if (e instanceof FileRefused) return new ResponseError(ErrorCodes.InvalidParams, e.message);
        throw e;
      }
      const result = mayContainFlow(text) ? analysisOf(TextDocument.create(p.uri, 'typescript', 0, text), true) : EMPTY;
      // Not open: keep neither its analysis nor its syntax tree.
      cache.delete(p.uri);
      forgetDocument(path);
      return flowsOf(result);
    }),
  );

  // Tests: run pending analyses now, the type-based pass included; resolves after publishing.
  connection.onRequest('flowspec/flush', () =>
    timedAsync('flowspec/flush', null, async () => {
      await scheduler.flush();
      await typeScheduler.flush();
      return null;
    }),
  );

  documents.listen(connection);
  connection.listen();
}
