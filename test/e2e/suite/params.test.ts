import * as assert from 'node:assert';
import * as path from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import { Flow } from '../../../runtime/client';
import {
  api,
  closeAllEditors,
  dom,
  fileUri,
  flowspecDiagnostics,
  openFile,
  replaceInDocument,
  runLocallyIfAsked,
  waitFor,
  workspaceDir,
} from './helpers';

interface RunResult {
  runId?: string;
  status: string;
}
const root = () => path.join(workspaceDir(), '.flowspec');
const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);
const hoverText = (h: vscode.Hover) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
const row = '.quick-input-widget .monaco-list-row';

describe('parameters from earlier runs and params files', () => {
  const paramsUri = fileUri('consumer.params.yaml');
  const state: { producerRun?: string; endTask?: string } = {};
  before(async () => {
    await api();
    await closeAllEditors();
  });
  after(async () => {
    await closeAllEditors();
    rmSync(paramsUri.fsPath, { force: true });
  });

  it("runs a flow with a parameter picked from an earlier run's artifact, and the run records where it came from", async () => {
    const producer = await vscode.commands.executeCommand<RunResult>('flowspec.run', {
      uri: fileUri('producer.ts').toString(),
      flow: 'ProducerFlow',
      parameters: { n: 4 },
    });
    assert.strictEqual(producer.status, 'success', JSON.stringify(producer));
    state.producerRun = producer.runId;
    const produced = new Flow('ProducerFlow', { root: root() }).run(producer.runId!);
    state.endTask = produced.endTask!.pathspec;

    await openFile('consumer.ts');
    const pending = vscode.commands.executeCommand<RunResult>('flowspec.run', {
      uri: fileUri('consumer.ts').toString(),
      flow: 'ConsumerFlow',
    });
    await runLocallyIfAsked();
    // No earlier ConsumerFlow run: which parameters (the required `total` is ticked), then its InputBox.
    await dom.wait({ selector: row, text: 'total' });
    await dom.key('Enter');
    await dom.wait({ selector: '.quick-input-widget .quick-input-title', text: 'total' });
    await dom.click({ selector: '.quick-input-widget .quick-input-titlebar .action-label.codicon-history' });
    // The runs, newest first: the producer's run is on top.
    const runs = await dom.wait({ selector: row, text: 'ProducerFlow/' });
    assert.match(runs.texts[0], new RegExp(`ProducerFlow/${producer.runId}(?!\\d).*n=4`));
    await dom.screenshot('params-picker-runs');
    await dom.click({ selector: row, text: `ProducerFlow/${producer.runId}` });
    // Its artifacts that fit a number: `total`, not the string `label`.
    const artifacts = await dom.wait({ selector: row, text: 'outputs.total' });
    assert.ok(
      artifacts.texts.some((t) => /outputs\.total.*number · 10/.test(t)),
      artifacts.texts.join(' | '),
    );
    assert.ok(!(await dom.query({ selector: row, text: 'outputs.label' })).count, 'a string artifact is not offered for a number');
    await dom.screenshot('params-picker');
    await dom.click({ selector: row, text: 'outputs.total' });

    const result = await pending;
    assert.strictEqual(result.status, 'success', JSON.stringify(result));
    const consumed = new Flow('ConsumerFlow', { root: root() }).run(result.runId!);
    assert.strictEqual(consumed.parameters.total, produced.data.total);
    assert.strictEqual(consumed.parameters.total, 10);
    assert.strictEqual(consumed.parameterSources.total, `ref ${state.endTask}.total`);
    assert.strictEqual(consumed.parameterRefs.total.task.pathspec, state.endTask);
    assert.strictEqual(consumed.data.doubled, 20);
    // The temporary params file is gone after the run; the output says what it held.
    await dom.wait({ selector: '.panel .monaco-editor .view-line', text: `total ← ProducerFlow/${producer.runId} outputs.total` });
  });

  it('saves the answers as a params file next to the flow, with a header naming it', async () => {
    const pending = vscode.commands.executeCommand<string>('flowspec.saveParams', {
      uri: fileUri('consumer.ts').toString(),
      flow: 'ConsumerFlow',
    });
    // The answers of the last run are remembered: save them as they are.
    await dom.click({ selector: row, text: 'Save these values' });
    const file = await pending;
    assert.strictEqual(file, paramsUri.fsPath);
    assert.strictEqual(
      readFileSync(file, 'utf8'),
      [
        '# flowspec: consumer.ts ConsumerFlow',
        'total:',
        `  ref: flows.ProducerFlow.${state.producerRun}`,
        '  value: outputs.total',
        '',
      ].join('\n'),
    );
    await waitFor('the params file open in the editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === paramsUri.fsPath);
    assert.strictEqual(vscode.window.activeTextEditor!.document.languageId, 'yaml');
  });

  it('hovering the ref entry shows what it resolves to', async () => {
    const doc = vscode.window.activeTextEditor!.document;
    const at = doc.positionAt(doc.getText().indexOf('flows.ProducerFlow') + 3);
    const hover = await waitFor('a hover with the resolved value', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', paramsUri, at);
      return hovers.map(hoverText).find((t) => t.includes(`${state.endTask}.total`));
    });
    assert.match(hover, /= 10\b/);
  });

  it('gets no diagnostic for the saved file, then params-type when a value has the wrong type', async () => {
    const { client } = await api();
    await client.sendRequest('flowspec/flush');
    assert.deepStrictEqual(
      flowspecDiagnostics(paramsUri).map((d) => d.message),
      [],
    );
    const doc = vscode.window.activeTextEditor!.document;
    await replaceInDocument(doc, '  value: outputs.total\n', '  value: outputs.total\nnote:\n  value: 5\n');
    const diag = await waitFor('params-type on note', () => flowspecDiagnostics(paramsUri).find((d) => code(d) === 'params-type'));
    assert.match(diag.message, /'note': 5 is not a string/);
    assert.strictEqual(doc.getText(diag.range), '5');
    await dom.wait({ selector: '.squiggly-error' });
    await dom.screenshot('params-file-diagnostic');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
