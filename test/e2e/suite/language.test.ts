import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAllEditors, fileUri, flowspecDiagnostics, openFile, replaceInDocument, restoreFile, waitFor } from './helpers';

const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);
const text = (h: vscode.Hover) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');

describe('language features from the server, through the language client', () => {
  const uri = fileUri('hello.ts');
  before(async () => {
    await api();
    await closeAllEditors();
  });
  after(async () => {
    await restoreFile(uri);
    await closeAllEditors();
  });

  it('offers a quick fix for a misspelt step, which clears the error', async () => {
    const editor = await openFile('hello.ts');
    await replaceInDocument(editor.document, 'this.next(this.join);', 'this.next(this.joni);');
    const diag = await waitFor('unknown-step on joni', () => flowspecDiagnostics(uri).find((d) => code(d) === 'unknown-step'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diag.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.edit && /join/.test(a.title));
    assert.ok(fix, `quick fixes: ${actions.map((a) => a.title).join(' | ')}`);
    await vscode.workspace.applyEdit(fix.edit!);
    await waitFor('no unknown-step after the fix', () => !flowspecDiagnostics(uri).some((d) => code(d) === 'unknown-step'));
    assert.match(editor.document.getText(), /this\.next\(this\.join\);/);
  });

  it('shows a hover on a step', async () => {
    const doc = (await openFile('hello.ts')).document;
    const at = doc.positionAt(doc.getText().indexOf('start() {') + 2);
    const hovers = await waitFor('a hover on start', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
      return h.find((x) => /start/.test(text(x)) && /left|right/.test(text(x)));
    });
    assert.ok(text(hovers).length > 10);
  });

  it('lists the flow and its steps as document symbols', async () => {
    const symbols = await waitFor('document symbols', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
      const flow = s?.find((x) => x.name.includes('HelloFlow'));
      return flow?.children.length ? flow : undefined;
    });
    const names = symbols.children.map((c) => c.name).join(' ');
    for (const s of ['start', 'left', 'right', 'join', 'end']) assert.ok(names.includes(s), names);
  });

  it('completes step names in this.next(...)', async () => {
    const doc = (await openFile('hello.ts')).document;
    const offset = doc.getText().indexOf('this.next(this.join);') + 'this.next(this.'.length;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      doc.positionAt(offset),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const s of ['join', 'end']) assert.ok(labels.includes(s), labels.slice(0, 30).join(', '));
  });
});
