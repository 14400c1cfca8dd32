import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAllEditors, dom, fileUri, openFile, waitFor } from './helpers';

interface Frame {
  name: string;
  line: number;
  source?: { path?: string; name?: string };
}

describe('debugging a flow', () => {
  before(async () => {
    await api();
    await closeAllEditors();
  });
  after(async () => {
    await vscode.debug.stopDebugging();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  it('stops at a breakpoint in a step (source-mapped to the .ts file)', async function () {
    this.timeout(120000);
    const editor = await openFile('hello.ts');
    const line = editor.document
      .getText()
      .split('\n')
      .findIndex((l) => l.includes("this.side = 'left'"));
    assert.ok(line > 0);
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(editor.document.uri, new vscode.Position(line, 0)))]);
    // Every debug adapter's stack traces, to see where execution stopped.
    const frames: Frame[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type: string; command?: string; body?: { stackFrames?: Frame[] } }) => {
          if (m.type === 'response' && m.command === 'stackTrace' && m.body?.stackFrames?.length) frames.push(m.body.stackFrames[0]);
        },
      }),
    });
    try {
      const started = await vscode.commands.executeCommand<boolean>('flowspec.debug', {
        uri: fileUri('hello.ts').toString(),
        flow: 'HelloFlow',
        parameters: { times: 1 },
      });
      assert.strictEqual(started, true);
      const top = await waitFor(
        'a stop in hello.ts',
        () => frames.find((f) => /hello\.ts$/.test(f.source?.path ?? f.source?.name ?? '')),
        90000,
        200,
      );
      assert.strictEqual(top.line, line + 1, `stopped at ${JSON.stringify(top)}`);
      assert.match(top.name, /left/);
      await dom.wait({ selector: '.debug-top-stack-frame-line, .debug-top-stack-frame', timeoutMs: 20000 }).catch(() => undefined);
      await dom.screenshot('debug-breakpoint');
    } finally {
      tracker.dispose();
    }
  });
});
