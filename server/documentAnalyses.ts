// The analyses of the documents the server sees: cached per document version, run in turns (a
// newer edit stops a stale analysis between turns), and documents over the size limit reported
// once instead of analysed.
import { fileURLToPath } from 'node:url';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisResult, analysisTurns, forgetDocument } from '../analyzer';
import { fileTooLarge, formatCount, MAX_DOCUMENT_CHARS } from './limits';

export const EMPTY: AnalysisResult = { flows: [], diagnostics: [] };

export function uriToPath(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

export class DocumentAnalyses {
  private readonly cache = new Map<string, { version: number; result: AnalysisResult; typed: boolean }>();
  /** Documents over the limit, said once in the log (until they shrink). */
  private readonly oversized = new Set<string>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly log: (message: string) => void,
  ) {}

  /** The analysis at once (hover, completion... need it now). */
  now(doc: TextDocument, typed = false): AnalysisResult {
    const turns = this.inTurns(doc, typed);
    for (;;) {
      const r = turns.next();
      if (r.done) return r.value;
    }
  }

  /** The analysis with the event loop let in between turns; undefined once an edit made it stale. */
  async fresh(doc: TextDocument, typed: boolean): Promise<AnalysisResult | undefined> {
    const { uri, version } = doc;
    const turns = this.inTurns(doc, typed);
    for (;;) {
      const r = turns.next();
      if (r.done) return r.value;
      await nextTurn();
      if (this.documents.get(uri)?.version !== version) {
        turns.return(EMPTY);
        this.log(`validate ${uri} dropped: edited meanwhile`);
        return undefined;
      }
    }
  }

  noteOversized(uri: string, chars: number): void {
    if (this.oversized.has(uri)) return;
    this.oversized.add(uri);
    this.log(`${uri} has ${formatCount(chars)} characters, over the ${formatCount(MAX_DOCUMENT_CHARS)} the server analyses: not analysed`);
  }

  /** The document is within the limit again: say so next time it grows over it. */
  withinLimit(uri: string): void {
    this.oversized.delete(uri);
  }

  /** Its analysis read a file that changed (a config's default file): analyse it again. */
  invalidate(uri: string): void {
    this.cache.delete(uri);
  }

  /** Keeps neither the document's analysis nor its syntax tree. */
  forget(uri: string): void {
    this.cache.delete(uri);
    forgetDocument(uriToPath(uri));
  }

  /** The document was closed: forget everything about it. */
  closed(uri: string): void {
    this.forget(uri);
    this.oversized.delete(uri);
  }

  /**
   * The analysis of the document's current text, in turns (from the cache when it is up to date).
   * The fast pass reuses earlier type-based answers; `typed` runs the type checker where needed.
   */
  private *inTurns(doc: TextDocument, typed: boolean): Generator<void, AnalysisResult, void> {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && (hit.typed || !typed)) return hit.result;
    const text = doc.getText();
    const result =
      text.length > MAX_DOCUMENT_CHARS
        ? this.tooLarge(doc, text)
        : yield* analysisTurns(uriToPath(doc.uri), text, { types: typed ? true : 'cached' });
    this.cache.set(doc.uri, { version: doc.version, result, typed: typed || !result.typesPending });
    return result;
  }

  /** One warning on a flow file over the limit, nothing on another file. */
  private tooLarge(doc: TextDocument, text: string): AnalysisResult {
    this.noteOversized(doc.uri, text.length);
    const match = /extends\s+(?:[\w$]+\s*\.\s*)?FlowSpec\b/.exec(text);
    return match ? { flows: [], diagnostics: [fileTooLarge(text.length, doc.positionAt(match.index))] } : EMPTY;
  }
}
