import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAllEditors, dom, fileUri, openFile, waitFor } from './helpers';

/** The FlowSpec lenses above each flow class of a file. */
export async function flowLenses(rel: string, min = 4): Promise<vscode.CodeLens[]> {
  const uri = fileUri(rel);
  return waitFor(`FlowSpec CodeLens in ${rel}`, async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    // Above the class (the steps' Spin lenses name their step: spin.test.ts).
    const ours = (lenses ?? []).filter(
      (l) => l.command?.command.startsWith('flowspec.') && !(l.command.arguments?.[0] as { step?: string })?.step,
    );
    return ours.length >= min && ours;
  });
}

describe('CodeLens above each flow', () => {
  before(async () => {
    await api();
    await closeAllEditors();
  });

  it('offers ▶ Run, ↻ Resume, Debug and Graph above the class', async () => {
    const editor = await openFile('hello.ts');
    const lenses = await flowLenses('hello.ts');
    assert.deepStrictEqual(
      lenses.map((l) => l.command!.title),
      ['▶ Run', '↻ Resume', 'Debug', 'Graph'],
    );
    assert.deepStrictEqual(
      lenses.map((l) => l.command!.command),
      ['flowspec.run', 'flowspec.resume', 'flowspec.debug', 'flowspec.showGraph'],
    );
    const classLine = editor.document
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('class HelloFlow'));
    assert.ok(lenses.every((l) => l.range.start.line === classLine));
    assert.deepStrictEqual(lenses[0].command!.arguments, [{ uri: editor.document.uri.toString(), flow: 'HelloFlow' }]);
  });

  it('shows them in the editor', async () => {
    const shown = await dom.wait({ selector: '.contentWidgets .codelens-decoration', allText: 'Graph' });
    const text = shown.texts.join(' ');
    for (const t of ['▶ Run', '↻ Resume', 'Debug', 'Graph']) assert.ok(text.includes(t), `${t} in "${text}"`);
    await dom.screenshot('editor-codelens');
  });

  it('puts one set above each flow of a file, and none in a plain TypeScript file', async () => {
    await openFile('two.ts');
    const lenses = await flowLenses('two.ts', 8);
    assert.deepStrictEqual(
      lenses.map((l) => (l.command!.arguments![0] as { flow: string }).flow),
      [...Array(4).fill('FirstFlow'), ...Array(4).fill('SecondFlow')],
    );
    await openFile('plain.ts');
    const plain = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fileUri('plain.ts'));
    assert.strictEqual((plain ?? []).filter((l) => l.command?.command.startsWith('flowspec.')).length, 0);
  });
});
