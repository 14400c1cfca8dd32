import * as assert from 'node:assert';
import * as path from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Flow } from '../../../runtime/client';
import type { RunResult } from '../../../client/runner';
import { api, closeAllEditors, dom, fileUri, treeLabel, waitFor, workspaceDir } from './helpers';

type Node = vscode.TreeItem & { kind: string; root?: string; pathspec?: string; index?: number };
const release = () => path.join(workspaceDir(), 'cards.release');

describe('cards', () => {
  let pending: Thenable<RunResult>;
  let runId: string;
  let root: string;

  before(async () => {
    root = await (await api()).store.facts.datastoreRoot(workspaceDir());
    await closeAllEditors();
    rmSync(release(), { force: true });
  });
  after(async () => {
    rmSync(release(), { force: true });
    await closeAllEditors();
  });

  it("a running task's card is a child of its task in the Runs view, and opens live in a tab", async function () {
    this.timeout(120000);
    pending = vscode.commands.executeCommand<RunResult>('flowspec.run', {
      uri: fileUri('cards.ts').toString(),
      flow: 'CardsFlow',
      parameters: {},
    });
    const task = await waitFor(
      'the start task of CardsFlow with a running card',
      () => {
        const run = new Flow('CardsFlow', { root }).latestRun;
        const t = run?.step('start').task;
        return t && t.cards[0]?.data.status === 'running' && t;
      },
      60000,
      250,
    );
    runId = task.runId;
    const { tree } = await api();
    const flow = (await tree.getChildren()).find((n) => treeLabel(n) === 'CardsFlow')!;
    const run = (await tree.getChildren(flow)).find((n) => treeLabel(n) === `Run ${runId}`)!;
    const step = (await tree.getChildren(run)).find((n) => treeLabel(n) === 'start')!;
    const [taskNode] = await tree.getChildren(step);
    const children = (await tree.getChildren(taskNode)) as Node[];
    assert.strictEqual(children[0].kind, 'card', children.map(treeLabel).join(', '));
    assert.strictEqual(treeLabel(children[0]), 'card');
    assert.match(String(children[0].description), /blank · live/);
    const opened = await vscode.commands.executeCommand<{ title: string; status: string }>(
      'flowspec.openCard',
      children[0].command!.arguments![0],
    );
    assert.deepStrictEqual(opened && [opened.title, opened.status], ['Training report', 'running']);
    await dom.wait({ selector: '.fs-status .running', frame: 'webview' });
    const progress = await dom.wait({ selector: '.fs-c-progress span', frame: 'webview', text: 'epochs: 10 / 20' });
    assert.ok(progress.count >= 1);
  });

  it('refreshes as the task goes on, and shows Markdown, a table, an image and a Vega-Lite chart', async function () {
    this.timeout(120000);
    writeFileSync(release(), 'go');
    const result = await pending;
    assert.strictEqual(result.status, 'success', JSON.stringify(result));
    await dom.wait({ selector: '.fs-c-progress span', frame: 'webview', text: 'epochs: 20 / 20', timeoutMs: 30000 });
    await dom.wait({ selector: '.fs-table td', frame: 'webview', text: 'fox' });
    await dom.wait({ selector: '.fs-image img', frame: 'webview' });
    await dom.wait({ selector: '.fs-vega svg .mark-line path', frame: 'webview' });
    const heading = await dom.wait({ selector: '.fs-c-markdown h1', frame: 'webview', text: 'Training' });
    assert.ok(heading.count >= 1);
    const status = await dom.query({ selector: '.fs-status .running', frame: 'webview' });
    assert.strictEqual(status.count, 0);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await dom.screenshot('card');
  });

  it("the graph preview's card badge opens the step's card", async function () {
    this.timeout(60000);
    await closeAllEditors();
    await vscode.commands.executeCommand('flowspec.showGraph', { uri: fileUri('cards.ts').toString(), flow: 'CardsFlow' });
    await dom.wait({ selector: 'svg g.node[data-step="start"] g.card-badge', frame: 'webview' });
    await dom.screenshot('graph-card-badge');
    const { cards } = await api();
    const before = cards.all().length;
    await dom.click({ selector: 'svg g.node[data-step="start"] g.card-badge', frame: 'webview' });
    await waitFor('a card tab', () => cards.all().length > before);
    assert.strictEqual(cards.all().at(-1)!.data.title, 'Training report');
    assert.strictEqual(cards.all().at(-1)!.ref.pathspec, `CardsFlow/${runId}/start/1`);
  });
});
