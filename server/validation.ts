// Diagnostics of open documents: each edit schedules a (debounced) syntax-only analysis, and a
// type-based pass after a pause when the document needs one; a result is published only if the
// document has not changed meanwhile. Params files are checked again when a flow beside them changes.
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { collectAfterLargeAnalysis } from './memory';
import { DocumentAnalyses, EMPTY } from './documentAnalyses';
import { MAX_DOCUMENT_CHARS } from './limits';
import { ParamsDocuments } from './paramsDocuments';
import { Scheduler } from './scheduler';
import { paramsDiagnostics } from './services/params';
import { toLspDiagnostic } from './services/convert';
import type { HandlerTimer } from './timing';

export interface ValidationDelays {
  /** Debounce between an edit and its (syntax-only) analysis. */
  debounceMs?: number;
  /** Pause after which the type-based checks run, when the document needs them. */
  typesDelayMs?: number;
}

export class Validation {
  /** Documents that have diagnostics published (cleared when they stop being flow or params files). */
  private readonly published = new Set<string>();
  private readonly scheduler: Scheduler;
  private readonly typeScheduler: Scheduler;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyses: DocumentAnalyses,
    private readonly params: ParamsDocuments,
    private readonly timer: HandlerTimer,
    delays: ValidationDelays,
  ) {
    this.scheduler = new Scheduler(delays.debounceMs ?? 50, (uri) => this.validate(uri));
    this.typeScheduler = new Scheduler(delays.typesDelayMs ?? 400, (uri) => this.validate(uri, true));
  }

  opened(uri: string): void {
    this.scheduler.schedule(uri);
  }

  changed(uri: string): void {
    this.typeScheduler.cancel(uri);
    this.scheduler.schedule(uri);
  }

  closed(uri: string): void {
    this.scheduler.cancel(uri);
    this.typeScheduler.cancel(uri);
    this.analyses.closed(uri);
    if (this.published.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Runs pending analyses now, the type-based pass included; resolves after publishing (tests' `flowspec/flush`). */
  async flush(): Promise<void> {
    await this.scheduler.flush();
    await this.typeScheduler.flush();
  }

  private async validate(uri: string, typed = false): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    if (this.params.isParams(doc)) return this.validateParams(doc);
    const version = doc.version;
    const result = await this.timer.timedAsync(`validate${typed ? ' (types)' : ''} ${uri}`, EMPTY, () => this.analyses.fresh(doc, typed));
    // Stale: the edit that made it so has scheduled the next analysis.
    if (!result) return;
    if (doc.getText().length <= MAX_DOCUMENT_CHARS) this.analyses.withinLimit(uri);
    if (!typed && result.typesPending) this.typeScheduler.schedule(uri);
    // The params files open beside it may be for this flow: check them again.
    if (result.flows.length && !typed) for (const d of this.documents.all()) if (this.params.isParams(d)) this.scheduler.schedule(d.uri);
    // Dropped if the document changed meanwhile: a newer analysis is already scheduled.
    if (this.documents.get(uri)?.version !== version) return;
    // A file with flows, or with a diagnostic about the file itself (too large, nested too deeply).
    const flowFile = result.flows.length > 0 || result.diagnostics.length > 0;
    if (!flowFile && !this.published.has(uri)) return;
    if (!flowFile) this.published.delete(uri);
    else this.published.add(uri);
    void this.connection.sendDiagnostics({ uri, version, diagnostics: result.diagnostics.map(toLspDiagnostic) });
    collectAfterLargeAnalysis(doc.getText().length);
  }

  private validateParams(doc: TextDocument): void {
    const { uri, version } = doc;
    const size = doc.getText().length;
    if (size > MAX_DOCUMENT_CHARS) this.analyses.noteOversized(uri, size);
    const analysis =
      size > MAX_DOCUMENT_CHARS ? undefined : this.timer.timed(`validate params ${uri}`, undefined, () => this.params.analysisOf(doc));
    if (this.documents.get(uri)?.version !== version) return;
    // Not a params file (another tool's YAML/JSON): nothing to say.
    if (!analysis) {
      if (this.published.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    this.published.add(uri);
    void this.connection.sendDiagnostics({ uri, version, diagnostics: paramsDiagnostics(analysis) });
  }
}
