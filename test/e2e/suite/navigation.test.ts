// Artifact navigation in the editor: F12 on `this.model` lands on the assignment that reaches it,
// F2 renames an artifact across steps and strings, and hover shows the latest run's value. The
// editor's own TypeScript answers on the same positions: these go through VS Code's commands, so
// they see what a user sees of both.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { api, closeAllEditors, dom, fileUri, openFile, restoreFile, runLocallyIfAsked, waitFor } from './helpers';

interface RunResult {
  runId?: string;
  status: string;
}
const hoverText = (h: vscode.Hover) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');

describe('artifact navigation: definition, rename, hover', () => {
  const uri = fileUri('nav.ts');
  let runId: string | undefined;
  before(async () => {
    await api();
    await closeAllEditors();
  });
  after(async () => {
    await restoreFile(uri);
    await closeAllEditors();
  });

  /** The position `delta` characters into the first `search` of the document. */
  const at = (doc: vscode.TextDocument, search: string, delta: number) => {
    const i = doc.getText().indexOf(search);
    assert.ok(i >= 0, search);
    return doc.positionAt(i + delta);
  };

  it('runs the flow once, so hover has a latest run to show', async () => {
    const pending = vscode.commands.executeCommand<RunResult>('flowspec.run', { uri: uri.toString(), flow: 'NavFlow' });
    await runLocallyIfAsked();
    const run = await pending;
    assert.strictEqual(run.status, 'success', JSON.stringify(run));
    runId = run.runId;
  });

  it('F12 on this.model lands on the assignment in the step that reaches it', async () => {
    const editor = await openFile('nav.ts');
    const doc = editor.document;
    const read = at(doc, 'this.model.weights', 6);
    const assignment = at(doc, 'this.model = inputs.fit.model', 5);
    // Both answer this position (ours, and TypeScript's minus the index signature the plugin leaves out).
    await waitFor('a definition of this.model', async () => {
      const locations = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
        'vscode.executeDefinitionProvider',
        uri,
        read,
      );
      return locations.length > 0;
    });
    editor.selection = new vscode.Selection(read, read);
    await vscode.commands.executeCommand('editor.action.revealDefinition');
    await waitFor('the cursor on the assignment in join', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === uri.toString() && active.selection.active.line === assignment.line;
    });
    assert.strictEqual(vscode.window.activeTextEditor!.selection.active.character, assignment.character);
  });

  it('F2 renames an artifact across steps, the foreach and mergeArtifacts strings included, once', async () => {
    const doc = (await openFile('nav.ts')).document;
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      uri,
      at(doc, 'this.rows =', 6),
      'samples',
    );
    assert.ok(edit, 'a rename edit');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const text = doc.getText();
    assert.match(text, /this\.samples = \[1, 2, 3\]/);
    assert.match(text, /include: \['samples'\]/);
    assert.match(text, /foreach: 'samples'/);
    assert.doesNotMatch(text, /\brows\b/);
  });

  it("hover on an artifact shows its latest run's value and a link that opens it", async () => {
    const editor = await openFile('nav.ts');
    const doc = editor.document;
    const read = at(doc, 'this.model.weights', 6);
    const hovers = await waitFor('a hover with the latest run', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, read);
      return h.find((x) => /latest run/.test(hoverText(x)));
    });
    const text = hoverText(hovers);
    assert.match(text, new RegExp(`latest run \`NavFlow/${runId}\``));
    assert.match(text, /\{weights: \[0\.5, 0\.25\]\}/);
    const link = /\(command:flowspec\.openArtifact\?([^ )]+)/.exec(text);
    assert.ok(link, text);
    // What the user sees: the hover widget on `inputs.fit.model`, with its type and value.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const fromBranch = at(doc, 'inputs.fit.model', 12);
    editor.selection = new vscode.Selection(fromBranch, fromBranch);
    editor.revealRange(new vscode.Range(fromBranch, fromBranch), vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('editor.action.showHover');
    const widget = '.monaco-hover:has-text("weights: number[]")';
    await dom.wait({ selector: widget });
    await dom.screenshot('hover-artifact', widget);
    // The link's command opens the value.
    const args = JSON.parse(decodeURIComponent(link[1])) as unknown[];
    await vscode.commands.executeCommand('flowspec.openArtifact', ...args);
    await waitFor('the artifact document', () => vscode.window.activeTextEditor?.document.uri.scheme === 'flowspec-artifact');
    assert.match(vscode.window.activeTextEditor!.document.getText(), /"weights"/);
  });
});
