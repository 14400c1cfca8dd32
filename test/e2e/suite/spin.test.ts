// Spin in the editor: click Spin above a step of a flow that ran, edit the step, Spin again, and see
// the changed artifact marked in the Spin view and the step marked on the graph.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import { api, closeAllEditors, dom, fileUri, openFile, replaceInDocument, restoreFile, waitFor } from './helpers';

interface SpinResult {
  status: string;
  error?: string;
  ms: number;
  phases: { saved: number; spun: number; read: number };
  keptFor?: number;
  spin?: { step: string; spinId: string; artifacts: Array<{ name: string; change: string }> };
}
type Node = vscode.TreeItem & { kind: string };

const label = (n: vscode.TreeItem) => (typeof n.label === 'string' ? n.label : (n.label?.label ?? ''));

async function stepLenses(rel: string, step: string): Promise<vscode.CodeLens[]> {
  return waitFor(`the Spin lenses of ${step} in ${rel}`, async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fileUri(rel), 20)) ?? [];
    const mine = lenses.filter((l) => (l.command?.arguments?.[0] as { step?: string } | undefined)?.step === step);
    return mine.length === 2 && mine;
  });
}

/** The artifact rows of the Spin view's newest spin. */
async function spunArtifacts(): Promise<Node[]> {
  const { spins } = await api();
  const [top] = spins.getChildren() as Node[];
  return spins.getChildren(top as never) as Node[];
}

/** Whether the spin process the extension keeps (`flowspec __spin-standby`) runs and has started its task worker. */
function keptSpinProcessUp(): boolean {
  const ps = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' }).stdout.split('\n');
  const processes = ps.map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m) => m !== null);
  const standby = processes.find((m) => Number(m[2]) === process.pid && m[3].includes('__spin-standby'));
  return !!standby && processes.some((m) => m[2] === standby[1] && m[3].includes('__worker'));
}

describe('spin: one step run alone from the editor', () => {
  after(async () => {
    await restoreFile(fileUri('spun.ts'));
    await closeAllEditors();
  });

  it('puts Spin and Debug Spin above every step', async () => {
    await closeAllEditors();
    await openFile('spun.ts');
    const lenses = await stepLenses('spun.ts', 'train');
    assert.deepStrictEqual(
      lenses.map((l) => [l.command!.title, l.command!.command]),
      [
        ['Spin', 'flowspec.spin'],
        ['Debug Spin', 'flowspec.debugSpin'],
      ],
    );
  });

  it('puts none above a @parallel step, which spin refuses', async () => {
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fileUri('spun.ts'), 20)) ?? [];
    const gang = lenses.filter((l) => (l.command?.arguments?.[0] as { flow?: string } | undefined)?.flow === 'SpunGangFlow');
    const steps = gang
      .filter((l) => l.command?.command === 'flowspec.spin')
      .map((l) => (l.command!.arguments![0] as { step: string }).step);
    assert.deepStrictEqual(steps.sort(), ['end', 'join', 'start']);
  });

  it('says in one line that there is nothing to spin before the flow ran', async () => {
    const [spin] = await stepLenses('spun.ts', 'train');
    const result = await vscode.commands.executeCommand<SpinResult>(spin.command!.command, ...spin.command!.arguments!);
    assert.strictEqual(result.status, 'error');
    assert.match(result.error!, /SpunFlow has no runs/);
  });

  it('click Spin on a step of a flow that ran: its artifacts show beside the original ones', async () => {
    const run = await vscode.commands.executeCommand<{ status: string }>('flowspec.run', {
      uri: fileUri('spun.ts').toString(),
      flow: 'SpunFlow',
      parameters: {},
    });
    assert.strictEqual(run.status, 'success', JSON.stringify(run));
    await openFile('spun.ts');
    // train is the first step of the file: its Spin is the first one on screen.
    await dom.wait({ selector: '.contentWidgets .codelens-decoration a', text: 'Spin' });
    await dom.click({ selector: '.contentWidgets .codelens-decoration a', text: 'Spin' });
    const rows = await waitFor('the spin of train in the Spin view', async () => {
      const { spins } = await api();
      const shown = spins.shown();
      return shown[0]?.step === 'train' && (await spunArtifacts());
    });
    const score = rows.find((r) => label(r) === 'score')!;
    assert.strictEqual(score.contextValue, 'flowspecSpunArtifact-same');
    assert.strictEqual(score.description, '10');
  });

  it('after an edit of the step, Spin again marks the changed artifact, and the graph marks the step', async () => {
    // A person takes longer to edit than the spin process the extension keeps takes to start.
    await waitFor('the spin process kept ready, with its task worker', keptSpinProcessUp);
    const doc = await vscode.workspace.openTextDocument(fileUri('spun.ts'));
    await replaceInDocument(doc, 'this.base * 1', 'this.base * 2');
    const [spin] = await stepLenses('spun.ts', 'train');
    const result = await vscode.commands.executeCommand<SpinResult>(spin.command!.command, ...spin.command!.arguments!);
    assert.strictEqual(result.status, 'success', JSON.stringify(result));
    assert.notStrictEqual(result.keptFor, undefined, 'the spin ran in the process kept ready');
    assert.ok(!doc.isDirty, 'the edit was saved before the spin');
    // Bench figure (no assertion): from the command to the artifacts shown.
    console.log(
      `      spin click-to-result: ${result.ms} ms (saved at ${result.phases.saved}, spun at ${result.phases.spun}, read at ${result.phases.read}; process kept for ${result.keptFor} ms)`,
    );
    const score = (await spunArtifacts()).find((r) => label(r) === 'score')!;
    assert.strictEqual(score.contextValue, 'flowspecSpunArtifact-changed');
    assert.strictEqual(score.description, '20  (was 10)');
    assert.strictEqual((score.iconPath as vscode.ThemeIcon).id, 'diff-modified');
    const row = await dom.wait({ selector: '.monaco-list-row', text: '(was 10)' });
    assert.match(row.texts[0], /score\s*20\s*\(was 10\)/);
    await vscode.commands.executeCommand('flowspec.showGraph', { uri: fileUri('spun.ts').toString(), flow: 'SpunFlow' });
    const { graphs } = await api();
    const panel = await waitFor('the graph with the spun step', () => graphs.all().find((p) => p.flow === 'SpunFlow' && p.data?.spin));
    assert.deepStrictEqual({ step: panel.data!.spin!.step, changed: panel.data!.spin!.changed }, { step: 'train', changed: 1 });
    await dom.wait({ selector: '.node.spun', frame: 'webview', text: 'train' });
    await dom.screenshot('spin');
  });
});
