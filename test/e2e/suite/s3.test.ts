import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { RunResult } from '../../../client/runner';
import { api, closeAllEditors, dom, fileUri, waitFor, treeChild, treeChildren, treeLabel } from './helpers';
import { skipBecause } from '../../support/skip';

// The Runs view over an s3:// datastore: the runner (run.mjs) starts an S3 test server and gives
// the extension host its endpoint; the workspace's `flowspec.datastoreRoot` points at a bucket.
// The extension reads it through the datastore reader's thread (the host never waits on S3).

describe('runs tree view over an s3:// datastore', () => {
  const root = process.env.FLOWSPEC_E2E_S3_ROOT;
  const settings = () => vscode.workspace.getConfiguration('flowspec');

  before(async function () {
    if (!root) skipBecause(this, 'no S3 server for the e2e suite (test/e2e/run.mjs starts one and sets FLOWSPEC_E2E_S3_ROOT)');
    await api();
    await closeAllEditors();
    await settings().update('datastoreRoot', root, vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    if (root) await settings().update('datastoreRoot', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
  });

  it('lists a run stored in S3 down to its artifacts, opens an artifact, and shows it in the view', async function () {
    this.timeout(120000);
    const result = await vscode.commands.executeCommand<RunResult>('flowspec.run', {
      uri: fileUri('shapes.ts').toString(),
      flow: 'ShapesFlow',
      parameters: {},
    });
    assert.strictEqual(result?.status, 'success', JSON.stringify(result));
    const flow = await waitFor('ShapesFlow from S3 in the runs tree', () =>
      treeChildren().then((c) => c.find((n) => treeLabel(n) === 'ShapesFlow')),
    );
    assert.match(String(flow.tooltip), /in s3:\/\/flowspec-e2e\/runs/);
    assert.strictEqual(flow.description, '1 run');
    const run = await treeChild(flow, `Run ${result.runId}`);
    assert.match(String(run.contextValue), /^flowspecRun status-success/);
    const each = await treeChild(run, 'each');
    assert.match(String(each.description), /^3 tasks/);
    const [task] = await treeChildren(each);
    const upper = (await treeChildren(task)).find((a) => treeLabel(a) === 'upper');
    assert.ok(upper, 'the foreach task has its artifact');
    await vscode.commands.executeCommand(upper.command!.command, ...(upper.command!.arguments ?? []));
    const editor = await waitFor(
      'the artifact editor',
      () => vscode.window.activeTextEditor?.document.uri.scheme === 'flowspec-artifact' && vscode.window.activeTextEditor,
    );
    assert.strictEqual(JSON.parse(editor.document.getText()), 'A');
    await vscode.commands.executeCommand('flowspecRuns.focus');
    await dom.wait({ selector: '.monaco-list-row', text: 'ShapesFlow' });
    assert.strictEqual((await dom.query({ selector: '.monaco-list-row', text: 'HelloFlow' })).count, 0, 'only the S3 datastore is shown');
  });
});
