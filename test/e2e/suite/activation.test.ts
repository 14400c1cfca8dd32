import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAllEditors, dom } from './helpers';

describe('activation', () => {
  it('activates the extension and registers its commands', async () => {
    const ext = vscode.extensions.getExtension('flowspec.flowspec');
    assert.ok(ext, 'extension flowspec.flowspec is loaded');
    await ext.activate();
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['flowspec.run', 'flowspec.resume', 'flowspec.debug', 'flowspec.showGraph', 'flowspec.refreshRuns']) {
      assert.ok(commands.includes(c), `command ${c} is registered`);
    }
  });

  it('shows its walkthrough on the first activation', async () => {
    await dom.wait({ selector: '.gettingStartedContainer', text: 'Get Started with FlowSpec', timeoutMs: 30000 });
    await closeAllEditors();
  });
});
