// The Runs view: flows → runs → steps → tasks → artifacts, refreshed when the datastore changes.
// Every level is read by the datastore reader (off the extension host's thread): the flows with
// their newest runs in one request, a run's steps with their tasks in another, a task's cards and
// artifacts in a third. A request that fails shows its error as a row instead of the children.
import * as vscode from 'vscode';
import { log } from '../log';
import { FlowNode, MessageNode, RunsNode } from './nodes';
import { RunsStore } from './store';

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: RunsStore) {
    this.subscription = store.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    try {
      return await this.childrenOf(node);
    } catch (e) {
      log().warn(`Runs view: ${(e as Error).message}`);
      return [new MessageNode(`cannot read the datastore: ${(e as Error).message}`, undefined, new vscode.ThemeIcon('warning'))];
    }
  }

  private async childrenOf(node?: RunsNode): Promise<RunsNode[]> {
    const reader = this.store.reader;
    switch (node?.kind) {
      case undefined: {
        const flows = await this.store.flows(vscode.workspace.getConfiguration('flowspec').get<number>('runs.limit', 50));
        const roots = new Set(flows.map((f) => f.root));
        return flows.map((flow) => new FlowNode(flow, roots.size > 1));
      }
      case 'flow':
        return node.children();
      case 'run':
        return node.children(await reader.request('steps', node.root, node.run.flow, node.run.id));
      case 'step':
        return node.children();
      case 'task': {
        const { cards, artifacts } = await reader.request('taskContents', node.runNode.root, node.task.pathspec);
        return node.children(cards, artifacts);
      }
      default:
        return [];
    }
  }

  // Lets reveal() find parents (used to show a failed task).
  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
