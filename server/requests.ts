// The LSP requests the server answers: for each, which document (open, or read from disk), flow
// or params file, and which service (services/) answers it.
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  CompletionItem,
  CompletionParams,
  DocumentSymbol,
  DocumentSymbolParams,
  ErrorCodes,
  Hover,
  HoverParams,
  ResponseError,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { mayContainFlow } from '../analyzer';
import { DocumentAnalyses, EMPTY, uriToPath } from './documentAnalyses';
import { FileRefused, readRegularFile } from './limits';
import { ParamsDocuments } from './paramsDocuments';
import { quickFixes } from './services/codeActions';
import { complete } from './services/completion';
import { FlowsParams, FlowsResult, flowsOf } from './services/flows';
import { hover } from './services/hover';
import { paramsHoverAt, paramsQuickFixes } from './services/params';
import { documentSymbols } from './services/symbols';

export class Requests {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyses: DocumentAnalyses,
    private readonly params: ParamsDocuments,
  ) {}

  hover(p: HoverParams): Hover | null {
    const doc = this.documents.get(p.textDocument.uri);
    if (doc && this.params.isParams(doc)) {
      const analysis = this.params.analysisOf(doc);
      return analysis ? paramsHoverAt(analysis, doc.getText(), p.position) : null;
    }
    return doc ? hover(this.analyses.now(doc), p.position) : null;
  }

  completion(p: CompletionParams): CompletionItem[] {
    const doc = this.documents.get(p.textDocument.uri);
    if (!doc || this.params.isParams(doc)) return [];
    const before = doc.getText({ start: { line: Math.max(0, p.position.line - 5), character: 0 }, end: p.position });
    return complete(this.analyses.now(doc), before, p.position);
  }

  codeActions(p: CodeActionParams): CodeAction[] {
    const doc = this.documents.get(p.textDocument.uri);
    if (!doc) return [];
    if (p.context.only && !p.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
    if (this.params.isParams(doc)) {
      const analysis = this.params.analysisOf(doc);
      return analysis ? paramsQuickFixes(doc.uri, doc.getText(), analysis, p.range) : [];
    }
    return quickFixes(doc.uri, doc.getText(), this.analyses.now(doc), p.range);
  }

  documentSymbols(p: DocumentSymbolParams): DocumentSymbol[] {
    const doc = this.documents.get(p.textDocument.uri);
    return doc && !this.params.isParams(doc) ? documentSymbols(this.analyses.now(doc)) : [];
  }

  /** `flowspec/flows`: the flows of a document, open in the editor or not. */
  flows(p: FlowsParams): FlowsResult | ResponseError {
    const doc = this.documents.get(p.uri);
    if (doc) return flowsOf(this.analyses.now(doc));
    // Not open in the editor: read it from disk (a regular file within the size limit only).
    const path = uriToPath(p.uri);
    let text: string;
    try {
      text = readRegularFile(path);
    } catch (e) {
      if (e instanceof FileRefused) return new ResponseError(ErrorCodes.InvalidParams, e.message);
      throw e;
    }
    const result = mayContainFlow(text) ? this.analyses.now(TextDocument.create(p.uri, 'typescript', 0, text), true) : EMPTY;
    // Not open: keep neither its analysis nor its syntax tree.
    this.analyses.forget(p.uri);
    return flowsOf(result);
  }
}
