// Shared helpers of the e2e tests: polling with a deadline (never a fixed sleep) and the bridge to
// the browser side (run.mjs / ui.mjs) for DOM checks and screenshots.
import * as vscode from 'vscode';
import * as path from 'node:path';

export const workspaceDir = (): string =>
  process.env.FLOWSPEC_E2E_WORKSPACE ?? vscode.workspace.workspaceFolders![0].uri.fsPath;
export const fileUri = (rel: string): vscode.Uri => vscode.Uri.file(path.join(workspaceDir(), rel));

/** Polls `probe` until it returns a truthy value; throws with `what` (and the last value) at the deadline. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined; let lastError: unknown;
  for (;;) {
    try { last = await probe(); lastError = undefined; if (last) return last as NonNullable<T>; }
    catch (e) { lastError = e; }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
        (lastError ? `: ${lastError}` : `; last value: ${JSON.stringify(last)?.slice(0, 500)}`));
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface UiQuery { selector: string; frame?: 'main' | 'webview'; text?: string; min?: number; allText?: string; timeoutMs?: number }
export interface UiMatch { count: number; texts: string[] }

async function ui<T>(req: Record<string, unknown>): Promise<T> {
  const base = process.env.FLOWSPEC_E2E_UI;
  if (!base) throw new Error('FLOWSPEC_E2E_UI is not set: run the suite through test/e2e/run.mjs');
  const res = await fetch(base, { method: 'POST', body: JSON.stringify(req) });
  const out = await res.json() as { ok: boolean; value?: T; error?: string };
  if (!out.ok) throw new Error(out.error);
  return out.value as T;
}
export const dom = {
  query: (q: UiQuery) => ui<UiMatch>({ action: 'query', ...q }),
  wait: (q: UiQuery) => ui<UiMatch>({ action: 'wait', ...q }),
  click: (q: UiQuery & { button?: string }) => ui<boolean>({ action: 'click', ...q }),
  key: (key: string) => ui<boolean>({ action: 'key', key }),
  screenshot: (name: string, selector?: string) => ui<string>({ action: 'screenshot', name, selector }),
};

export async function openFile(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function flowspecDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'flowspec');
}
