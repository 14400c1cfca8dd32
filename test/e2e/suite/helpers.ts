// Shared helpers of the e2e tests: polling with a deadline (test/support/wait.ts, never a fixed sleep) and the bridge to
// the browser side (run.mjs / ui.mjs) for DOM checks and screenshots.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';

export const workspaceDir = (): string => process.env.FLOWSPEC_E2E_WORKSPACE ?? vscode.workspace.workspaceFolders![0].uri.fsPath;
export const fileUri = (rel: string): vscode.Uri => vscode.Uri.file(path.join(workspaceDir(), rel));

export { waitFor } from '../../support/wait';
import { skipBecause } from '../../support/skip';

export interface UiQuery {
  selector: string;
  frame?: 'main' | 'webview';
  text?: string;
  min?: number;
  allText?: string;
  timeoutMs?: number;
}
export interface UiMatch {
  count: number;
  texts: string[];
  classes: string[][];
}

/** Why a check of the page skips its test in desktop VS Code (test/e2e/desktop.mjs). */
export const NO_PAGE =
  'desktop VS Code has no browser page to read (the DOM checks and screenshots run in npm run test:e2e, code-server in Chromium)';

let runningTest: Mocha.Test | undefined;
/** The test that is running (the suite's entry point sets it before each), which a check of the page skips where there is no page. */
export function setRunningTest(test: Mocha.Test | undefined): void {
  runningTest = test;
}

async function ui<T>(req: Record<string, unknown>): Promise<T> {
  const base = process.env.FLOWSPEC_E2E_UI;
  if (!base) {
    if (runningTest?.ctx) skipBecause(runningTest.ctx, NO_PAGE);
    throw new Error(NO_PAGE);
  }
  const res = await fetch(base, { method: 'POST', body: JSON.stringify(req) });
  const out = (await res.json()) as { ok: boolean; value?: T; error?: string };
  if (!out.ok) throw new Error(out.error);
  return out.value as T;
}
export const dom = {
  query: (q: UiQuery) => ui<UiMatch>({ action: 'query', ...q }),
  wait: (q: UiQuery) => ui<UiMatch>({ action: 'wait', ...q }),
  click: (q: UiQuery & { button?: string }) => ui<boolean>({ action: 'click', ...q }),
  key: (key: string) => ui<boolean>({ action: 'key', key }),
  type: (text: string) => ui<boolean>({ action: 'type', text }),
  sidebarWidth: (width: number) => ui<number>({ action: 'sidebarWidth', width }),
  screenshot: (name: string, selector?: string) => ui<string>({ action: 'screenshot', name, selector }),
};

export async function openFile(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function flowspecDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'flowspec');
}

import type { FlowSpecApi } from '../../../client/extension';
export async function api(): Promise<FlowSpecApi> {
  const ext = vscode.extensions.getExtension<FlowSpecApi>('flowspec.flowspec');
  if (!ext) throw new Error('extension flowspec.flowspec not found');
  return ext.activate();
}

/** Replaces the first occurrence of `find` in the document (an unsaved edit, like typing). */
export async function replaceInDocument(doc: vscode.TextDocument, find: string, replace: string): Promise<void> {
  const at = doc.getText().indexOf(find);
  if (at < 0) throw new Error(`"${find}" not in ${doc.uri.fsPath}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + find.length)), replace);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('edit refused');
}

/**
 * Puts a file back as it was on disk when the suite started (from the pristine copy in the repo)
 * and saves it, so no later test sees an edit and no editor is left dirty.
 */
export async function restoreFile(uri: vscode.Uri): Promise<void> {
  const original = readFileSync(path.join(pristineDir(), path.relative(workspaceDir(), uri.fsPath)), 'utf8');
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.getText() !== original) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
    await vscode.workspace.applyEdit(edit);
  }
  if (doc.isDirty) await doc.save();
}

/** The workspace fixture in the repo (the tests run on a copy). */
const pristineDir = () => path.join(vscode.extensions.getExtension('flowspec.flowspec')!.extensionPath, 'test/e2e/workspace');

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Where Slurm is at hand (sbatch on the PATH), the first Run asks where the tasks go: these tests run locally. */
export async function runLocallyIfAsked(): Promise<void> {
  const ext = await api();
  if (!(await ext.store.facts.of(workspaceDir())).slurm || ext.runPlace()) return;
  const row = { selector: '.quick-input-widget .monaco-list-row', text: 'Run locally' };
  await dom.wait({ ...row, timeoutMs: 60_000 });
  await dom.click(row);
}

/** A node of the Runs view, as its tree provider gives it. */
export type RunsTreeNode = vscode.TreeItem & { kind: string };
export const treeLabel = (n: vscode.TreeItem): string => (typeof n.label === 'string' ? n.label : (n.label?.label ?? ''));

/** The Runs view's children of a node (or its roots). */
export async function treeChildren(node?: RunsTreeNode): Promise<RunsTreeNode[]> {
  const { tree } = await api();
  return (await tree.getChildren(node as never)) as unknown as RunsTreeNode[];
}

/** The child of a Runs view node with this label; fails naming the labels there are. */
export async function treeChild(node: RunsTreeNode | undefined, name: string): Promise<RunsTreeNode> {
  const found = (await treeChildren(node)).find((n) => treeLabel(n) === name);
  if (!found)
    throw new Error(`no "${name}" under ${node ? treeLabel(node) : 'the root'}: ${(await treeChildren(node)).map(treeLabel).join(', ')}`);
  return found;
}
