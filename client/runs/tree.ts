// The Runs view: flows → runs → steps → tasks → artifacts, refreshed when the datastore changes.
import * as vscode from 'vscode';
import { FlowNode, RunsNode } from './nodes';
import { RunsStore } from './store';

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: RunsStore) {
    this.subscription = store.onDidChange(() => this.refresh());
  }

  refresh(): void { this.emitter.fire(undefined); }

  getTreeItem(node: RunsNode): vscode.TreeItem { return node; }

  getChildren(node?: RunsNode): RunsNode[] {
    if (!node) {
      const flows = this.store.flows();
      const roots = new Set(flows.map((f) => f.root));
      return flows.map(({ root, flow }) => new FlowNode(this.store, root, flow, roots.size > 1));
    }
    if (node.kind === 'flow') return node.children(vscode.workspace.getConfiguration('flowspec').get<number>('runs.limit', 50));
    return node.children();
  }

  // Lets reveal() find parents (used to show a failed task).
  getParent(): undefined { return undefined; }

  dispose(): void { this.subscription.dispose(); this.emitter.dispose(); }
}
