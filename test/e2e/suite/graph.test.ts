import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAllEditors, dom, fileUri, openFile, replaceInDocument, restoreFile, waitFor } from './helpers';

const nodes = (min: number, extra: Record<string, unknown> = {}) => dom.wait({ selector: 'svg g.node', frame: 'webview', min, ...extra });

describe('graph preview', () => {
  const shapes = fileUri('shapes.ts');
  before(async () => {
    await api();
    await closeAllEditors();
  });
  after(async () => {
    await restoreFile(shapes);
    await closeAllEditors();
  });
  before(() => restoreFile(fileUri('broken.ts')));

  it('draws one node per step', async () => {
    await openFile('shapes.ts');
    const shown = await vscode.commands.executeCommand<{ flow: string; steps: number }>('flowspec.showGraph', {
      uri: shapes.toString(),
      flow: 'ShapesFlow',
    });
    assert.deepStrictEqual(shown, { flow: 'ShapesFlow', steps: 9 });
    const drawn = await nodes(9);
    assert.strictEqual(drawn.count, 9);
    for (const s of ['start', 'fanout', 'each', 'collect', 'single', 'merge', 'fast', 'slow', 'end']) {
      assert.ok(
        drawn.texts.some((t) => t.startsWith(s)),
        `node ${s} in ${drawn.texts.join(' | ')}`,
      );
    }
    const edges = await dom.query({ selector: 'svg g.edge', frame: 'webview' });
    assert.strictEqual(edges.count, 10);
    const labels = await dom.query({ selector: 'svg .edge-label', frame: 'webview' });
    assert.deepStrictEqual(labels.texts.sort(), ['fast', 'items', 'slow']);
    await dom.screenshot('graph-panel');
  });

  it('updates as the flow is edited, before it is saved', async () => {
    const doc = await vscode.workspace.openTextDocument(shapes);
    await replaceInDocument(
      doc,
      '@step fast() { this.next(this.end); }',
      '@step fast() { this.next(this.polish); }\n\n  @step polish() { this.next(this.end); }',
    );
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
    assert.ok(
      drawn.texts.some((t) => t.startsWith('middle')),
      drawn.texts.join(' | '),
    );
    const problems = await dom.wait({ selector: '.problem.error', frame: 'webview', text: 'nowhere' });
    assert.ok(problems.count >= 1);
    await dom.screenshot('graph-errors');
  });

  it('stays readable at 200 steps: every node drawn, opened at a legible zoom at the start', async function () {
    this.timeout(90000);
    await closeAllEditors(); // one webview at a time: the DOM queries read the first that matches
    // 66 split-join diamonds in a row: 200 steps, 132 ranks.
    const lines = [
      "import { FlowSpec, step, Inputs } from 'flowspec';",
      '',
      'export class BigFlow extends FlowSpec {',
      '  @step start() { this.next(this.a0, this.b0); }',
    ];
    for (let i = 0; i < 66; i++) {
      const next = i === 65 ? 'this.end' : `this.a${i + 1}, this.b${i + 1}`;
      lines.push(
        `  @step a${i}() { this.next(this.j${i}); }`,
        `  @step b${i}() { this.next(this.j${i}); }`,
        `  @step j${i}(inputs: Inputs) { this.next(${next}); }`,
      );
    }
    lines.push('  @step end() {}', '}', '');
    const uri = fileUri('big.ts');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(lines.join('\n')));
    await openFile('big.ts');
    const shown = await vscode.commands.executeCommand<{ steps: number }>('flowspec.showGraph', { uri: uri.toString(), flow: 'BigFlow' });
    assert.strictEqual(shown.steps, 200);
    const drawn = await nodes(200, { timeoutMs: 60000 });
    assert.strictEqual(drawn.count, 200);
    const zoom = await dom.wait({ selector: '#zoom', frame: 'webview' });
    assert.ok(parseInt(zoom.texts[0], 10) >= 55, `zoom ${zoom.texts[0]}`);
    await dom.screenshot('graph-200-steps');
  });
});
