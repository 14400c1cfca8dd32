// The LSP requests the server answers: for each, which document (open, or read from disk), flow
// or params file, and which service (services/) answers it.
import {
  CodeAction,
  CodeActionKind,
  DefinitionParams,
  DocumentHighlight,
  DocumentHighlightParams,
  Location,
  PrepareRenameParams,
  Range,
  ReferenceParams,
  RenameParams,
  WorkspaceEdit,
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
import { mayContainFlow, RenameRefused } from '../analyzer';
import { DocumentAnalyses, EMPTY, uriToPath } from './documentAnalyses';
import { ArtifactTypesWriter } from './artifactTypes';
import { LastRunValues } from './lastRun';
import { FileRefused, MAX_DOCUMENT_CHARS, readRegularFile } from './limits';
import { datastoreRootFor } from './params';
import { ParamsDocuments } from './paramsDocuments';
import { quickFixes } from './services/codeActions';
import { complete } from './services/completion';
import { FlowsParams, FlowsResult, flowsOf } from './services/flows';
import { configHover } from './services/configHover';
import { hover, LastRunAnswer, LastRunQuestion, lastRunQuestion } from './services/hover';
import { definition, documentHighlights, paramsDefinition, prepareRename, references, rename } from './services/navigation';
import { paramsHoverAt, paramsQuickFixes } from './services/params';
import { documentSymbols } from './services/symbols';
import { verdictKey, verdictOf, writeVerdict } from '../runtime/checkCache';

export interface WillRunParams {
  uri: string;
  flow: string;
}

/** Longest a hover waits for the latest run's value (the reader's first start, a slow S3 link); later hovers find it cached. */
const HOVER_WAIT_MS = 1500;

export class Requests {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyses: DocumentAnalyses,
    private readonly params: ParamsDocuments,
    private readonly lastRuns: LastRunValues,
    private readonly artifactTypes: ArtifactTypesWriter,
  ) {}

  async hover(p: HoverParams): Promise<Hover | null> {
    const doc = this.documents.get(p.textDocument.uri);
    if (doc && this.params.isParams(doc)) {
      const analysis = this.params.analysisOf(doc);
      return analysis ? paramsHoverAt(analysis, doc.getText(), p.position) : null;
    }
    if (!doc) return null;
    const text = doc.getText();
    // The artifact types of this text come from their thread, asked before this one analyses the
    // text (which takes it a while after an edit): the two go on side by side.
    const artifactTypes = this.artifactTypes.typesOf(doc.uri, text);
    const result = this.analyses.now(doc);
    const path = uriToPath(doc.uri);
    const config = configHover(result, path, text, p.position);
    if (config) return config;
    const question = lastRunQuestion(result, text, p.position);
    // The latest run comes from its thread too: the analyses go on meanwhile.
    const [lastRun, types] = await Promise.all([
      question ? this.lastRun(datastoreRootFor(path), question) : undefined,
      question?.kind === 'artifact' ? artifactTypes : undefined,
    ]);
    return hover(result, { uri: doc.uri, text }, p.position, lastRun, types);
  }

  private lastRun(root: string, q: LastRunQuestion): Promise<LastRunAnswer | undefined> {
    const answer =
      q.kind === 'artifact' ? this.lastRuns.artifact(root, q.flow, q.steps, q.name) : this.lastRuns.parameter(root, q.flow, q.name);
    return Promise.race([answer, new Promise<undefined>((resolve) => setTimeout(resolve, HOVER_WAIT_MS))]);
  }

  definition(p: DefinitionParams): Location[] {
    const doc = this.documents.get(p.textDocument.uri);
    if (!doc) return [];
    if (this.params.isParams(doc)) {
      const analysis = this.params.analysisOf(doc);
      return analysis ? paramsDefinition(analysis, doc.getText(), p.position, (path) => this.textOf(path)) : [];
    }
    return definition(this.analyses.now(doc), doc.uri, doc.getText(), p.position);
  }

  references(p: ReferenceParams): Location[] {
    const doc = this.flowDocument(p.textDocument.uri);
    return doc ? references(this.analyses.now(doc), doc.uri, doc.getText(), p.position, p.context.includeDeclaration) : [];
  }

  documentHighlights(p: DocumentHighlightParams): DocumentHighlight[] {
    const doc = this.flowDocument(p.textDocument.uri);
    return doc ? documentHighlights(this.analyses.now(doc), doc.getText(), p.position) : [];
  }

  /** null when the name is not an artifact: the editor's TypeScript renames everything else. */
  prepareRename(p: PrepareRenameParams): { range: Range; placeholder: string } | null {
    const doc = this.flowDocument(p.textDocument.uri);
    return doc ? prepareRename(this.analyses.now(doc), doc.getText(), p.position) : null;
  }

  rename(p: RenameParams): WorkspaceEdit | ResponseError | null {
    const doc = this.flowDocument(p.textDocument.uri);
    if (!doc) return null;
    try {
      return rename(this.analyses.now(doc), doc.uri, doc.getText(), p.position, p.newName);
    } catch (e) {
      if (e instanceof RenameRefused) return new ResponseError(ErrorCodes.InvalidParams, e.message);
      throw e;
    }
  }

  private flowDocument(uri: string): TextDocument | undefined {
    const doc = this.documents.get(uri);
    return doc && !this.params.isParams(doc) ? doc : undefined;
  }

  /** A flow file's text: the editor's buffer when it is open, else the file (within the size limit). */
  private textOf(path: string): string | undefined {
    const open = this.documents.all().find((d) => uriToPath(d.uri) === path);
    if (open) return open.getText();
    try {
      return readRegularFile(path);
    } catch {
      return undefined;
    }
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

  /**
   * `flowspec/willRun`: the editor is about to run a flow of this open document (saved: the CLI runs
   * what is on disk). The analysis the server holds is the pre-run check's: it writes the verdict
   * where `flowspec run` looks first (runtime/checkCache.ts, keyed by the text), so the run does
   * not load the analyzer again. A document not open, or over the size limit, is left to the CLI.
   */
  willRun(p: WillRunParams): null {
    const doc = this.documents.get(p.uri);
    if (!doc || this.params.isParams(doc) || doc.getText().length > MAX_DOCUMENT_CHARS) return null;
    const analysis = this.analyses.now(doc, true);
    if (!analysis.flows.some((f) => f.name === p.flow)) return null;
    // No types for the run to refresh: the server's own writer keeps those of an open document fresh.
    writeVerdict(verdictKey(p.flow, uriToPath(p.uri), doc.getText()), { ...verdictOf(analysis, p.flow), types: [] });
    return null;
  }
}
