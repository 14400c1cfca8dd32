// The Spin view: the spins of this session, newest first, each with the artifacts its task made
// beside the original task's (changed, new and gone ones marked); an artifact expands to both
// values. Plain snapshots from the datastore reader (SpinSnapshot), nothing read here.
import * as vscode from 'vscode';
import type { SpinSnapshot, SpunArtifact } from '../reader/protocol';

/** Spins kept in the view: older ones drop off. */
const KEPT = 10;

const MARKS: Record<SpunArtifact['change'], { icon: string; colour?: string; label: string }> = {
  changed: { icon: 'diff-modified', colour: 'gitDecoration.modifiedResourceForeground', label: 'changed' },
  new: { icon: 'diff-added', colour: 'gitDecoration.addedResourceForeground', label: 'new' },
  gone: { icon: 'diff-removed', colour: 'gitDecoration.deletedResourceForeground', label: 'gone' },
  same: { icon: 'circle-small', label: 'same' },
};

export class SpinNode extends vscode.TreeItem {
  readonly kind = 'spin';
  constructor(readonly spin: SpinSnapshot) {
    super(`${spin.flow}.${spin.step}`, vscode.TreeItemCollapsibleState.Expanded);
    const changed = spin.artifacts.filter((a) => a.change !== 'same').length;
    const originRun = spin.origin.split('/')[1];
    this.id = spin.pathspec;
    this.description = spin.successful
      ? `${spin.spinId} of run ${originRun} · ${changed ? `${changed} changed` : 'no change'}`
      : `${spin.spinId} of run ${originRun} · failed`;
    this.iconPath = new vscode.ThemeIcon(
      spin.successful ? 'pass' : 'error',
      new vscode.ThemeColor(spin.successful ? 'testing.iconPassed' : 'testing.iconFailed'),
    );
    this.tooltip = new vscode.MarkdownString(
      `**${spin.pathspec}**, spun from \`${spin.origin}\`` +
        (spin.exception ? `\n\n${spin.exception.type}: ${spin.exception.message}` : ''),
    );
    this.contextValue = 'flowspecSpin';
  }
}

export class SpunArtifactNode extends vscode.TreeItem {
  readonly kind = 'artifact';
  constructor(
    readonly spin: SpinSnapshot,
    readonly artifact: SpunArtifact,
  ) {
    super(artifact.name, artifact.change === 'same' ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
    const mark = MARKS[artifact.change];
    this.id = `${spin.pathspec}#${artifact.name}`;
    this.description =
      artifact.change === 'gone'
        ? `gone (was ${artifact.before!.preview})`
        : `${artifact.after!.preview}${artifact.change === 'changed' ? `  (was ${artifact.before!.preview})` : ''}${artifact.change === 'new' ? '  new' : ''}`;
    this.iconPath = new vscode.ThemeIcon(mark.icon, mark.colour ? new vscode.ThemeColor(mark.colour) : undefined);
    this.tooltip = `${artifact.name}: ${mark.label}`;
    this.contextValue = `flowspecSpunArtifact-${artifact.change}`;
  }
}

/** One side of an artifact that changed: its value in the spun task or in the original. */
export class ValueNode extends vscode.TreeItem {
  readonly kind = 'value';
  constructor(side: 'spun' | 'original', value: { type: string; preview: string } | undefined, pathspec: string) {
    super(side === 'spun' ? 'spun' : 'original', vscode.TreeItemCollapsibleState.None);
    this.description = value ? `${value.preview}  (${value.type})` : '(none)';
    this.tooltip = pathspec;
  }
}

export type SpinViewNode = SpinNode | SpunArtifactNode | ValueNode;

export class SpinTreeProvider implements vscode.TreeDataProvider<SpinViewNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SpinViewNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private spins: SpinSnapshot[] = [];

  /** Shows a spin at the top (a later spin of the same step replaces it). */
  add(spin: SpinSnapshot): SpinNode {
    this.spins = [spin, ...this.spins.filter((s) => !(s.root === spin.root && s.flow === spin.flow && s.step === spin.step))].slice(
      0,
      KEPT,
    );
    this.emitter.fire(undefined);
    return new SpinNode(spin);
  }

  /** The spins shown, newest first (for tests). */
  shown(): SpinSnapshot[] {
    return [...this.spins];
  }

  getTreeItem(node: SpinViewNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: SpinViewNode): SpinViewNode[] {
    if (!node) return this.spins.map((s) => new SpinNode(s));
    if (node.kind === 'spin') {
      // What changed first, then the rest, each by name.
      const order = (a: SpunArtifact) => (a.change === 'same' ? 1 : 0);
      return [...node.spin.artifacts]
        .sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name))
        .map((a) => new SpunArtifactNode(node.spin, a));
    }
    if (node.kind === 'artifact')
      return [
        new ValueNode('spun', node.artifact.after, node.spin.pathspec),
        new ValueNode('original', node.artifact.before, node.spin.origin),
      ];
    return [];
  }

  getParent(node: SpinViewNode): SpinViewNode | undefined {
    return node.kind === 'artifact' ? new SpinNode(node.spin) : undefined;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
