import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAllEditors, dom, fileUri, openFile, replaceInDocument, restoreFile, waitFor } from './helpers';

const nodes = (min: number, extra: Record<string, unknown> = {}) =>
  dom.wait({ selector: 'svg g.node', frame: 'webview', min, ...extra });

describe('graph preview', () => {
  const shapes = fileUri('shapes.ts');
  before(async () => { await api(); await closeAllEditors(); });
  after(async () => { await restoreFile(shapes); await closeAllEditors(); });
  before(() => restoreFile(fileUri('broken.ts')));

  it('draws one node per step', async () => {
    await openFile('shapes.ts');
    const shown = await vscode.commands.executeCommand<{ flow: string; steps: number }>('flowspec.showGraph', { uri: shapes.toString(), flow: 'ShapesFlow' });
    assert.deepStrictEqual(shown, { flow: 'ShapesFlow', steps: 9 });
    const drawn = await nodes(9);
    assert.strictEqual(drawn.count, 9);
    for (const s of ['start', 'fanout', 'each', 'collect', 'single', 'merge', 'fast', 'slow', 'end']) {
      assert.ok(drawn.texts.some((t) => t.startsWith(s)), `node ${s} in ${drawn.texts.join(' | ')}`);
    }
    const edges = await dom.query({ selector: 'svg g.edge', frame: 'webview' });
    assert.strictEqual(edges.count, 10);
    const labels = await dom.query({ selector: 'svg .edge-label', frame: 'webview' });
    assert.deepStrictEqual(labels.texts.sort(), ['fast', 'items', 'slow']);
    await dom.screenshot('graph-panel');
  });

  it('updates as the flow is edited, before it is saved', async () => {
    const doc = await vscode.workspace.openTextDocument(shapes);
    await replaceInDocument(doc, '@step fast() { this.next(this.end); }', '@step fast() { this.next(this.polish); }\n\n  @step polish() { this.next(this.end); }');
    const drawn = await nodes(10);
    assert.ok(drawn.texts.some((t) => t.startsWith('polish')));
  });

  it('reveals the step in the editor when its node is clicked', async () => {
    await dom.click({ selector: 'svg g.node[data-step="merge"]', frame: 'webview' });
    const editor = await waitFor('the editor at step merge', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.toString() === shapes.toString() && e.document.getText(e.selection) === 'merge' && e;
    });
    assert.match(editor.document.lineAt(editor.selection.start.line).text, /@step merge\(/);
  });

  it('still draws a flow with errors, with the problem on its node', async () => {
    await openFile('broken.ts');
    await vscode.commands.executeCommand('flowspec.showGraph', { uri: fileUri('broken.ts').toString(), flow: 'BrokenFlow' });
    const drawn = await dom.wait({ selector: 'svg g.node.has-error', frame: 'webview' });
    assert.ok(drawn.texts.some((t) => t.startsWith('middle')), drawn.texts.join(' | '));
    const problems = await dom.wait({ selector: '.problem.error', frame: 'webview', text: 'nowhere' });
    assert.ok(problems.count >= 1);
    await dom.screenshot('graph-errors');
  });
});
