import * as assert from 'node:assert';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { api, closeAllEditors, dom, waitFor, workspaceDir, treeChild, treeChildren, treeLabel } from './helpers';
import { state } from './run.test';

describe('runs tree view', () => {
  before(async () => {
    await api();
    await closeAllEditors();
  });

  it('lists the run with its steps, tasks and artifacts', async () => {
    assert.ok(state.runId, 'needs the run from the "running flows" tests');
    const flow = await waitFor('HelloFlow in the runs tree', () => treeChild(undefined, 'HelloFlow'));
    const run = await treeChild(flow, `Run ${state.runId}`);
    assert.match(String(run.contextValue), /^flowspecRun status-success/);
    assert.match(String(run.description), /greeting=hey, times=3, loud=true/);
    const steps = (await treeChildren(run)).map(treeLabel);
    assert.deepStrictEqual([...steps].sort(), ['end', 'join', 'left', 'right', 'start']);
    assert.strictEqual(steps[0], 'start');
    const end = await treeChild(run, 'end');
    const [task] = await treeChildren(end);
    assert.strictEqual(task.kind, 'task');
    const artifacts = await treeChildren(task);
    const message = artifacts.find((a) => treeLabel(a) === 'message');
    assert.ok(message, artifacts.map(treeLabel).join(', '));
    assert.strictEqual(message.description, "'HEY HEY HEY'".replace(/'/g, message.description?.toString().startsWith('"') ? '"' : "'"));
  });

  it('shows them in the view', async () => {
    await vscode.commands.executeCommand('flowspecRuns.focus');
    await dom.wait({ selector: '.monaco-list-row', text: 'HelloFlow' });
    // Other flows ran too (FirstFlow, above, has a run of the same number): the row's label names the flow.
    const runRowSelector = `.monaco-list-row[aria-label^="HelloFlow/${state.runId},"]`;
    const runRow = await dom.wait({ selector: runRowSelector });
    assert.ok(
      runRow.texts.some((t) => t.includes('greeting=hey')),
      runRow.texts.join(' | '),
    );
    await dom.click({ selector: runRowSelector });
    await dom.click({ selector: '.monaco-list-row[aria-level="3"]', text: 'end' });
    await dom.click({ selector: '.monaco-list-row[aria-level="4"]', text: 'task' });
    await dom.wait({ selector: '.monaco-list-row[aria-level="5"]', text: 'message' });
    await vscode.commands.executeCommand('notifications.clearAll');
    await dom.sidebarWidth(520);
    await dom.screenshot('runs-tree');
  });

  it("opens an artifact's full value in a read-only editor", async () => {
    const flow = await treeChild(undefined, 'HelloFlow');
    const run = await treeChild(flow, `Run ${state.runId}`);
    const start = await treeChild(run, 'start');
    const [task] = await treeChildren(start);
    const artifacts = await treeChildren(task);
    const words = artifacts.find((a) => treeLabel(a) === 'words')!;
    await vscode.commands.executeCommand(words.command!.command, ...(words.command!.arguments ?? []));
    const editor = await waitFor(
      'the artifact editor',
      () => vscode.window.activeTextEditor?.document.uri.scheme === 'flowspec-artifact' && vscode.window.activeTextEditor,
    );
    assert.deepStrictEqual(JSON.parse(editor.document.getText()), ['hey', 'hey', 'hey']);
    assert.strictEqual(editor.document.languageId, 'json');
    const meta = artifacts.find((a) => treeLabel(a) === 'meta')!;
    await vscode.commands.executeCommand(meta.command!.command, ...(meta.command!.arguments ?? []));
    const metaEditor = await waitFor(
      'the Map artifact',
      () => vscode.window.activeTextEditor?.document.uri.path.endsWith('/meta') && vscode.window.activeTextEditor,
    );
    assert.match(metaEditor.document.getText(), /Map\(2\) \{/);
    assert.match(metaEditor.document.getText(), /1970-01-01T00:00:00\.000Z/);
    assert.match(metaEditor.document.getText(), /Set\(2\) \{ 'a', 'b' \}/);
    await dom.screenshot('artifact-editor');
  });

  it("opens a task's logs", async () => {
    const run = await treeChild(await treeChild(undefined, 'HelloFlow'), `Run ${state.runId}`);
    const [task] = await treeChildren(await treeChild(run, 'left'));
    await vscode.commands.executeCommand('flowspec.openTaskLogs', task);
    const editor = await waitFor(
      'the log editor',
      () => vscode.window.activeTextEditor?.document.uri.scheme === 'flowspec-logs' && vscode.window.activeTextEditor,
    );
    assert.match(editor.document.getText(), /left says hey hey hey/);
  });

  it('refreshes by itself when a run is started from a terminal', async () => {
    const ext = vscode.extensions.getExtension('flowspec.flowspec')!;
    let changes = 0;
    const sub = (await api()).store.onDidChange(() => {
      changes++;
    });
    const cli = path.join(ext.extensionPath, 'dist/cli.js');
    await new Promise<void>((resolve, reject) => {
      const p = spawn(process.execPath, [cli, 'run', 'shapes.ts', '--mode', 'slow'], {
        cwd: workspaceDir(),
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: 'ignore',
      });
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`CLI exit ${code}`))));
    });
    // The datastore watcher (not the extension's own run hooks) must notice.
    await waitFor('a datastore change event', () => changes > 0, 20000).finally(() => sub.dispose());
    const flow = await waitFor('ShapesFlow in the tree', () => treeChildren().then((c) => c.find((n) => treeLabel(n) === 'ShapesFlow')));
    const runs = await treeChildren(flow);
    assert.strictEqual(runs.length, 1);
    await dom.wait({ selector: '.monaco-list-row', text: 'ShapesFlow' });
  });

  it("copies a run's pathspec", async () => {
    const run = await treeChild(await treeChild(undefined, 'HelloFlow'), `Run ${state.runId}`);
    const spec = await vscode.commands.executeCommand<string>('flowspec.copyPathspec', run);
    assert.strictEqual(spec, `HelloFlow/${state.runId}`);
    assert.strictEqual(await vscode.env.clipboard.readText(), spec);
  });

  it("adds and removes a run's tags, shown on its row", async () => {
    const runNode = async () => treeChild(await treeChild(undefined, 'HelloFlow'), `Run ${state.runId}`);
    const added = await vscode.commands.executeCommand<string[]>('flowspec.addTags', await runNode(), ['best', 'keep']);
    assert.deepStrictEqual(added?.slice(-2), ['best', 'keep']);
    const description = async () => String((await runNode()).description);
    await waitFor('#best #keep on the run', async () => (await description()).includes('#best #keep'));
    const left = await vscode.commands.executeCommand<string[]>('flowspec.removeTags', await runNode(), ['best']);
    assert.ok(left && !left.includes('best') && left.includes('keep'), String(left));
    await waitFor('#best gone from the run', async () => !(await description()).includes('#best'));
    assert.match(await description(), /#keep/);
  });

  it('deletes a run (the confirmation skipped, as VS Code refuses dialogs under test)', async () => {
    const flow = await treeChild(undefined, 'ShapesFlow');
    const [run] = await treeChildren(flow);
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('flowspec.deleteRun', run, { confirm: false }), true);
    await waitFor('ShapesFlow gone from the tree', async () => !(await treeChildren()).some((n) => treeLabel(n) === 'ShapesFlow'));
    await dom.wait({ selector: '.monaco-list-row', text: 'HelloFlow' });
    await waitFor(
      'the ShapesFlow row gone from the view',
      async () => (await dom.query({ selector: '.monaco-list-row', text: 'ShapesFlow' })).count === 0,
      10000,
      200,
    );
  });
});
