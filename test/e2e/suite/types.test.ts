// Types without installing: VS Code's own TypeScript (validation on) sees the flows of a workspace
// folder outside the repo with no node_modules through the extension's TypeScript server plugin,
// so the Problems panel holds FlowSpec's diagnostics and nothing of TypeScript's; artifacts and
// configs (from their JSON default file, following a save of that file) get their types.
import * as assert from 'node:assert';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  api,
  closeAllEditors,
  dom,
  fileUri,
  flowspecDiagnostics,
  openFile,
  replaceInDocument,
  restoreFile,
  waitFor,
  workspaceDir,
} from './helpers';

const FLOWS = ['hello.ts', 'broken.ts', 'two.ts', 'shapes.ts', 'producer.ts', 'consumer.ts', 'typed.ts'];
/** A line that is a TypeScript error and nothing else: TS2322. */
const PROBE = "\nconst probe: number = 'not a number';\n";

/** What TypeScript (not FlowSpec) reports on a file, as the Problems panel shows it (hints are not shown there). */
const tsProblems = (uri: vscode.Uri) =>
  vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'ts' && d.severity !== vscode.DiagnosticSeverity.Hint)
    .map((d) => `${d.code} ${d.message}`);

describe('TypeScript on flows in a folder with no node_modules', function () {
  // The first report waits for VS Code's TypeScript server to start, on a machine shared with other work.
  this.timeout(180000);
  before(async () => {
    await api();
    await closeAllEditors();
  });
  after(async () => {
    for (const f of FLOWS) await restoreFile(fileUri(f));
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await closeAllEditors();
  });

  it('runs on a workspace outside the repo that has no node_modules and no tsconfig', () => {
    const ext = vscode.extensions.getExtension('flowspec.flowspec')!.extensionPath;
    assert.ok(!existsSync(path.join(workspaceDir(), 'node_modules')));
    assert.ok(!existsSync(path.join(workspaceDir(), 'tsconfig.json')));
    assert.ok(path.relative(ext, workspaceDir()).startsWith('..'), `${workspaceDir()} is outside ${ext}`);
    assert.notStrictEqual(vscode.workspace.getConfiguration('typescript').get('validate.enable'), false, 'TypeScript validation is on');
  });

  for (const file of FLOWS) {
    it(`reports no TypeScript problem on ${file}, only its own real errors`, async () => {
      const uri = fileUri(file);
      const doc = (await openFile(file)).document;
      // An empty list cannot be waited for: add a real type error, wait until TypeScript reports it
      // (then its report on the file is complete), and require it to be the only one.
      await replaceInDocument(doc, doc.getText(), doc.getText() + PROBE);
      const problems = await waitFor(
        `TypeScript's report on ${file}`,
        () => {
          const p = tsProblems(uri);
          return p.some((x) => x.startsWith('2322 ')) && p;
        },
        150000,
      );
      assert.deepStrictEqual(problems, ["2322 Type 'string' is not assignable to type 'number'."]);
      await restoreFile(uri);
      await waitFor(`no TypeScript problem on ${file} once the probe is gone`, () => tsProblems(uri).length === 0);
    });
  }

  it('leaves only FlowSpec rows in the Problems panel, and TypeScript errors of a flow still show there', async () => {
    for (const f of FLOWS) await openFile(f);
    await waitFor('the flowspec error of broken.ts', () => flowspecDiagnostics(fileUri('broken.ts')).length > 0);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await dom.wait({ selector: '.markers-panel .monaco-list-row', text: 'nowhere' });
    // Each row names its source (the panel draws it as `source(code)`).
    const sources = await dom.query({ selector: '.markers-panel .marker-source' });
    assert.ok(sources.count > 0 && sources.texts.every((t) => t === 'flowspec'), `sources: ${sources.texts.join(' | ')}`);
    await openFile('hello.ts');
    await dom.screenshot('types-problems-clean');

    const doc = (await openFile('two.ts')).document;
    await replaceInDocument(doc, '@step end() {}', "@step end() { const n: number = 'x'; }");
    await dom.wait({
      selector: '.markers-panel .monaco-list-row',
      text: "Type 'string' is not assignable to type 'number'",
      timeoutMs: 60000,
    });
    const after = await dom.query({ selector: '.markers-panel .marker-source' });
    const codes = await dom.query({ selector: '.markers-panel .marker-code' });
    assert.ok(
      after.texts.includes('ts') && codes.texts.includes('2322'),
      `sources: ${after.texts.join(' | ')}; codes: ${codes.texts.join(' | ')}`,
    );
    await dom.screenshot('types-problems-ts-error');
    await restoreFile(fileUri('two.ts'));
  });
});

describe('typed artifacts in the editor (TypeScript validation on, no tsconfig)', function () {
  this.timeout(180000);
  const uri = fileUri('typed.ts');
  before(async () => {
    await api();
    await closeAllEditors();
  });
  after(async () => {
    await restoreFile(uri);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await closeAllEditors();
  });

  it("a misspelt artifact gets FlowSpec's squiggle, with did you mean", async () => {
    const doc = (await openFile('typed.ts')).document;
    await replaceInDocument(doc, "console.log(this.playlist.join(', ')", "console.log(this.playlsit.join(', ')");
    const d = await waitFor('unknown-artifact on this.playlsit', () => flowspecDiagnostics(uri).find((x) => x.code === 'unknown-artifact'));
    assert.match(d.message, /'playlsit' is not set in 'end'.*did you mean 'playlist'/);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(doc.getText(d.range), 'this.playlsit');
    await restoreFile(uri);
    await waitFor('no unknown-artifact once fixed', () => !flowspecDiagnostics(uri).some((x) => x.code === 'unknown-artifact'));
  });

  it("a string artifact used as a number is TypeScript's error, from the generated types; fixing the assignment clears it", async () => {
    const editor = await openFile('typed.ts');
    const doc = editor.document;
    await replaceInDocument(doc, 'this.total.length', 'this.total.toFixed(2)');
    const wrong = "2551 Property 'toFixed' does not exist on type 'string'. Did you mean 'fixed'?";
    await waitFor("TypeScript's error on this.total.toFixed", () => tsProblems(uri).includes(wrong), 150000);
    assert.deepStrictEqual(tsProblems(uri), [wrong]);
    // What the user sees: the red squiggle under toFixed, and the row in the Problems panel.
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await dom.wait({ selector: '.markers-panel .monaco-list-row', text: "'toFixed' does not exist on type 'string'" });
    const at = doc.positionAt(doc.getText().indexOf('toFixed'));
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.showHover');
    await dom.wait({ selector: '.monaco-hover', text: "Property 'toFixed' does not exist on type 'string'" });
    await dom.screenshot('types-artifact-ts-error');
    // A number now: the types follow the unsaved edit (no save), and the error goes.
    await replaceInDocument(doc, 'this.total = `${this.playlist.length} songs`;', 'this.total = this.playlist.length;');
    await waitFor('no TypeScript problem once total is a number', () => tsProblems(uri).length === 0, 60000);
  });
});

describe('a config typed from its default file in the editor (no annotation)', function () {
  this.timeout(180000);
  const FLOW = `import { Config, configExpr, FlowSpec, retry, step } from 'flowspec';

export class ConfiguredFlow extends FlowSpec {
  cfg = Config('cfg', { default: 'configured.json' });

  @retry({ times: configExpr('cfg.retries') })
  @step start() {
    console.log(this.cfg.cpu.toFixed(1));
    this.next(this.end);
  }
  @step end() {}
}
`;
  const uri = fileUri('configured.ts');
  const config = fileUri('configured.json');
  before(async () => {
    await api();
    await closeAllEditors();
    writeFileSync(config.fsPath, '{ "cpu": "four", "retries": 1 }\n');
    writeFileSync(uri.fsPath, FLOW);
  });
  after(async () => {
    await closeAllEditors();
    for (const f of [uri.fsPath, config.fsPath, path.join(workspaceDir(), '.flowspec-types/configured.d.ts')]) rmSync(f, { force: true });
  });

  it("types this.cfg from the JSON file; saving only the file updates TypeScript's error and FlowSpec's diagnostics", async () => {
    await openFile('configured.ts');
    const wrong = "2551 Property 'toFixed' does not exist on type 'string'. Did you mean 'fixed'?";
    await waitFor(
      "TypeScript's error on this.cfg.cpu.toFixed (cpu is a string in the file)",
      () => tsProblems(uri).includes(wrong),
      150000,
    );
    // The user fixes the config file in the editor and saves it: the flow's types follow.
    const json = (await openFile('configured.json')).document;
    await replaceInDocument(json, '"four"', '4');
    await json.save();
    await waitFor('no TypeScript problem once cpu is a number', () => tsProblems(uri).length === 0, 60000);
    // A key configExpr names, gone from the file: FlowSpec's warning, then none once it is back.
    await replaceInDocument(json, ', "retries": 1', '');
    await json.save();
    await waitFor('unknown-config-key after the save', () => flowspecDiagnostics(uri).some((d) => d.code === 'unknown-config-key'));
    await replaceInDocument(json, '4', '4, "retries": 1');
    await json.save();
    await waitFor('no FlowSpec diagnostic once the key is back', () => flowspecDiagnostics(uri).length === 0);
  });
});
