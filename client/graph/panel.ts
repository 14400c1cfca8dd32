// The graph preview panel: one webview per (file, flow). It re-draws as the user types (from the
// server's `flowspec/flows`) and when runs change on disk (step colours = latest run's status).
import * as vscode from 'vscode';
import * as path from 'node:path';
import { workingFolder } from '../config';
import { FlowIndex } from '../flowIndex';
import { FromWebview, GraphData, GraphRun, SpinMark, ToWebview, graphData } from './graphData';
import { OpenPanels } from '../openPanels';
import { WebviewPanelHost } from '../webviewPanel';
import { graphHtml } from './html';

/** Where the graph gets the latest run's step statuses (the Runs data layer). */
export interface RunStatusSource {
  /** The latest run of `flow` in the datastore of the folder it runs in. */
  latestRun(folder: string, flow: string): Promise<GraphRun | undefined>;
  readonly onDidChange: vscode.Event<void>;
}

const DIRECTION_KEY = 'flowspec.graph.direction';

export class GraphPanels implements vscode.Disposable {
  private readonly panels = new OpenPanels<GraphPanel>();
  /** The last spin of each (file, flow), marked on its graph. */
  private readonly spins = new Map<string, SpinMark>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly index: FlowIndex,
    private readonly status: RunStatusSource,
  ) {}

  async show(uri: vscode.Uri, flow: string): Promise<GraphPanel> {
    const key = `${uri.toString()}#${flow}`;
    const open = this.panels.reveal(key);
    if (open) return open;
    const panel = this.panels.add(
      key,
      (closed) => new GraphPanel(this.context, this.index, this.status, uri, flow, () => this.spins.get(key), closed),
    );
    await panel.update();
    return panel;
  }

  /** Marks the step just spun on the flow's graph (now, and when the graph is opened later). */
  markSpin(uri: vscode.Uri, flow: string, mark: SpinMark): void {
    const key = `${uri.toString()}#${flow}`;
    this.spins.set(key, mark);
    void this.panels.get(key)?.update();
  }

  /** The panels open now (for tests and commands). */
  all(): GraphPanel[] {
    return this.panels.all();
  }

  dispose(): void {
    this.panels.dispose();
  }
}

export class GraphPanel implements vscode.Disposable {
  private readonly host: WebviewPanelHost<FromWebview>;
  private readonly disposables: vscode.Disposable[] = [];
  private last?: GraphData;
  private updates = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly index: FlowIndex,
    private readonly status: RunStatusSource,
    readonly uri: vscode.Uri,
    public flow: string,
    private readonly spinMark: () => SpinMark | undefined,
    onDispose: () => void,
  ) {
    this.host = new WebviewPanelHost<FromWebview>(
      context,
      {
        viewType: 'flowspec.graph',
        title: `Graph: ${flow}`,
        column: { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        scriptFolder: ['dist', 'webview'],
        script: 'graph.js',
        html: graphHtml,
      },
      {
        onReady: () => {
          if (this.last) this.post(this.last);
          else void this.update();
        },
        onMessage: (m) => void this.onMessage(m),
        onDispose: () => {
          onDispose();
          this.dispose();
        },
      },
    );
    this.disposables.push(
      index.onDidChange((u) => {
        if (u.toString() === uri.toString()) void this.update();
      }),
      status.onDidChange(() => void this.update()),
    );
  }

  /** The data last sent to the webview. */
  get data(): GraphData | undefined {
    return this.last;
  }

  reveal(): void {
    this.host.panel.reveal(undefined, true);
  }

  async update(): Promise<void> {
    const update = ++this.updates;
    let flows;
    try {
      flows = await this.index.flowsOf(this.uri);
    } catch {
      return;
    }
    let flow = flows.find((f) => f.name === this.flow);
    // The class was renamed while typing and the file has one flow: follow it.
    if (!flow && flows.length === 1) {
      flow = flows[0];
      this.flow = flow.name;
      this.host.panel.title = `Graph: ${flow.name}`;
    }
    const direction = this.context.workspaceState.get<'TB' | 'LR'>(DIRECTION_KEY, 'TB');
    if (!flow) {
      if (this.last) this.post({ ...this.last, stale: true });
      return;
    }
    // The graph is drawn without colours when the runs cannot be read (the Runs view says why).
    const run = await this.status.latestRun(workingFolder(this.uri), flow.name).catch(() => undefined);
    // A later update (typing, another change of the runs) has started meanwhile: it draws.
    if (update !== this.updates) return;
    this.last = graphData(flow, path.basename(this.uri.fsPath), direction, run, this.spinMark());
    this.post(this.last);
  }

  private post(data: GraphData): void {
    this.host.post({ type: 'graph', data } satisfies ToWebview);
  }

  private async onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'reveal': {
        const flow = await this.index.flow(this.uri, this.flow);
        const step = flow?.steps.find((s) => s.name === m.step);
        if (step)
          await this.revealRange(
            new vscode.Range(step.range.start.line, step.range.start.character, step.range.end.line, step.range.end.character),
          );
        return;
      }
      case 'revealLine':
        await this.revealRange(new vscode.Range(m.line, 0, m.line, 0));
        return;
      case 'direction':
        await this.context.workspaceState.update(DIRECTION_KEY, m.direction);
        await this.update();
        return;
      case 'run':
        await vscode.commands.executeCommand('flowspec.run', { uri: this.uri.toString(), flow: this.flow });
        return;
      case 'openCard': {
        const card = this.last?.run?.cards?.[m.step];
        if (card) await vscode.commands.executeCommand('flowspec.openCard', { ...card, index: 0 });
        return;
      }
    }
  }

  /** Opens the flow file beside the graph (or where it is already open) and selects the range. */
  private async revealRange(range: vscode.Range): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
    const column =
      visible?.viewColumn ?? (this.host.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
    this.disposables.length = 0;
    this.host.dispose();
  }
}
