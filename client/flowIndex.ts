// The flows of each open document, as the language server sees them (`flowspec/flows`). The client
// never analyses code itself: CodeLens, the graph preview and the commands all read from here.
// Results are cached per document version. After an edit, or new diagnostics for a document, the
// index asks again (debounced) and `onDidChange` fires only when the answer differs from the last
// one: VS Code postpones a CodeLens refresh on every change event of its provider (for any file), so
// events that change nothing (TypeScript's own diagnostics, a re-analysis with the same result)
// could keep a file's lenses from ever showing while the workspace is busy.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { mayContainFlow } from '../model/flowModel';
import { FLOWS_REQUEST, FlowInfo } from './languageClient';

const DEBOUNCE_MS = 200;
const EMPTY_ANSWER_RETRIES = 5;
const EMPTY_ANSWER_RETRY_MS = 1000;

export class FlowIndex implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; flows: Promise<FlowInfo[]> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** How many times each document that declares a flow was answered with none in a row. */
  private readonly emptyAnswers = new Map<string, number>();
  /** Each document's flows as last announced by onDidChange, as JSON: an answer equal to it changes nothing. */
  private readonly lastAnswers = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  /** A document's flows may have changed. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly client: LanguageClient) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && isCandidate(e.document)) this.changedLater(e.document.uri);
      }),
      // New diagnostics mean the server has (re)analysed the document: ask again. This also
      // heals an early answer given before the server was ready.
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) {
          const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
          if (doc && isCandidate(doc)) {
            this.cache.delete(uri.toString());
            this.changedLater(uri);
          }
        }
      }),
      client.onDidChangeState((e: { newState: State }) => {
        if (e.newState !== State.Running) return;
        this.cache.clear();
        for (const doc of vscode.workspace.textDocuments) if (isCandidate(doc)) this.changedLater(doc.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cache.delete(d.uri.toString());
        this.lastAnswers.delete(d.uri.toString());
      }),
    );
  }

  /** The flows of a document ([] for a file with no FlowSpec class). */
  async flows(document: vscode.TextDocument): Promise<FlowInfo[]> {
    if (!isCandidate(document)) return [];
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version) return hit.flows;
    const flows = this.request(key);
    this.cache.set(key, { version: document.version, flows });
    flows.then(
      (found) => {
        if (found.length || !mayContainFlow(document.getText())) this.emptyAnswers.delete(key);
        else this.askAgainLater(document.uri);
      },
      () => this.cache.delete(key),
    );
    return flows;
  }

  /**
   * A file that declares a flow got none: an answer given before the server had the file (seen in
   * CI as a CodeLens that never came). Ask again a few times, a second apart, then trust it.
   */
  private askAgainLater(uri: vscode.Uri): void {
    const key = uri.toString();
    const asked = this.emptyAnswers.get(key) ?? 0;
    if (asked >= EMPTY_ANSWER_RETRIES) return;
    this.emptyAnswers.set(key, asked + 1);
    setTimeout(() => {
      this.cache.delete(key);
      void this.askAgain(uri);
    }, EMPTY_ANSWER_RETRY_MS);
  }

  async flowsOf(uri: vscode.Uri): Promise<FlowInfo[]> {
    return this.flows(await vscode.workspace.openTextDocument(uri));
  }

  async flow(uri: vscode.Uri, name: string): Promise<FlowInfo | undefined> {
    return (await this.flowsOf(uri)).find((f) => f.name === name);
  }

  private async request(uri: string): Promise<FlowInfo[]> {
    const result = await this.client.sendRequest<{ flows: FlowInfo[] } | null>(FLOWS_REQUEST, { uri });
    return result?.flows ?? [];
  }

  private changedLater(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.askAgain(uri);
      }, DEBOUNCE_MS),
    );
  }

  /** An open document's flows (asked again unless its version's answer is cached); fires onDidChange if they changed. */
  private async askAgain(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (!document) return;
    const before = this.lastAnswers.get(key);
    let found: FlowInfo[];
    try {
      found = await this.flows(document);
    } catch {
      return;
    }
    const answer = JSON.stringify(found);
    if (answer === before) return;
    this.lastAnswers.set(key, answer);
    this.emitter.fire(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** A cheap filter so plain TypeScript files cost no request: a flow file mentions FlowSpec. */
function isCandidate(document: vscode.TextDocument): boolean {
  return document.languageId === 'typescript' && document.getText().includes('FlowSpec');
}
