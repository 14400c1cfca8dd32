// Starting a project from the editor: FlowSpec: New Project… (the bundled CLI's `flowspec init`)
// and the walkthrough.
import * as assert from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NewProjectResult } from '../../../client/newProject';
import { api, closeAllEditors, dom } from './helpers';

describe('New Project', () => {
  const folder = path.join(mkdtempSync(path.join(tmpdir(), 'flowspec-new-')), 'my-flows');
  before(async () => {
    await api();
    await closeAllEditors();
  });
  after(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await closeAllEditors();
  });

  it('is in the command palette as FlowSpec: New Project…', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('flowspec.newProject'));
    const manifest = vscode.extensions.getExtension('flowspec.flowspec')!.packageJSON;
    const command = manifest.contributes.commands.find((c: { command: string }) => c.command === 'flowspec.newProject');
    assert.deepStrictEqual([command.category, command.title], ['FlowSpec', 'New Project…']);
  });

  it('scaffolds the project with the bundled CLI', async () => {
    const result = await vscode.commands.executeCommand<NewProjectResult>('flowspec.newProject', { folder, open: false });
    assert.ok(result, 'a result');
    assert.strictEqual(result.folder, folder);
    assert.match(result.output, /^Created a FlowSpec project in /);
    for (const f of [
      'package.json',
      'tsconfig.json',
      'flows/hello.ts',
      'flows/hello.params.yaml',
      '.gitignore',
      '.vscode/extensions.json',
    ]) {
      assert.ok(existsSync(path.join(folder, f)), f);
    }
    assert.deepStrictEqual(JSON.parse(readFileSync(path.join(folder, '.vscode/extensions.json'), 'utf8')).recommendations, [
      'flowspec.flowspec',
    ]);
  });

  it('says which file is in the way when the folder already has the project, and writes nothing', async () => {
    const before = readdirSync(folder).sort();
    const result = await vscode.commands.executeCommand('flowspec.newProject', { folder, open: false });
    assert.strictEqual(result, undefined);
    const toast = await dom.wait({ selector: '.notifications-toasts .notification-toast', text: 'already exists' });
    assert.match(toast.texts.join(' '), /New FlowSpec project: my-flows\/package\.json already exists/);
    assert.deepStrictEqual(readdirSync(folder).sort(), before);
    await dom.screenshot('new-project-refused');
  });

  it('has a walkthrough that starts with New Project', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'flowspec.flowspec#flowspec.start', false);
    const page = await dom.wait({ selector: '.gettingStartedContainer', text: 'Get Started with FlowSpec' });
    assert.match(page.texts.join(' '), /Create a project/);
    assert.match(page.texts.join(' '), /Browse runs/);
    await dom.screenshot('walkthrough');
  });
});
