// Which file and flow a command is about: from its arguments, a Runs view node, or the active editor.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { FlowInfo } from '../languageClient';
import { FlowNode, RunNode } from '../runs/nodes';
import type { CommandContext } from './context';

export interface FlowArgs {
  uri?: string | vscode.Uri;
  flow?: string;
}

export interface Target {
  uri: vscode.Uri;
  flow: FlowInfo;
}

/** Arguments given by a caller (tests, keybindings, other extensions), not a tree node. */
export function isArgs<T extends FlowArgs>(arg: unknown): arg is T {
  return !!arg && typeof arg === 'object' && !(arg instanceof vscode.TreeItem);
}

export async function target(ctx: CommandContext, arg?: FlowArgs | FlowNode | RunNode): Promise<Target | undefined> {
  let uri: vscode.Uri | undefined;
  let name: string | undefined;
  if (arg instanceof FlowNode || arg instanceof RunNode) {
    // The node's run, or the flow's latest: it says which file it ran.
    const run = arg instanceof RunNode ? arg.run : arg.flow.runs[0];
    if (!run?.sourceFile) {
      void vscode.window.showErrorMessage('The run does not say which file it ran.');
      return undefined;
    }
    uri = vscode.Uri.file(run.sourceFile);
    name = arg instanceof FlowNode ? arg.flow.name : arg.run.flow;
  } else if (arg && (arg.uri || arg.flow)) {
    uri = typeof arg.uri === 'string' ? vscode.Uri.parse(arg.uri) : arg.uri;
    name = arg.flow;
  }
  uri ??= vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Open a flow file first (a class that extends FlowSpec).');
    return undefined;
  }
  let flows: FlowInfo[];
  try {
    flows = await ctx.index.flowsOf(uri);
  } catch (e) {
    void vscode.window.showErrorMessage(`FlowSpec: cannot read the flows of ${path.basename(uri.fsPath)}: ${(e as Error).message}`);
    return undefined;
  }
  if (name) {
    const flow = flows.find((f) => f.name === name);
    if (!flow) {
      void vscode.window.showErrorMessage(`No flow named ${name} in ${path.basename(uri.fsPath)}.`);
      return undefined;
    }
    return { uri, flow };
  }
  if (!flows.length) {
    void vscode.window.showInformationMessage(`${path.basename(uri.fsPath)} has no flow (a class that extends FlowSpec).`);
    return undefined;
  }
  if (flows.length === 1) return { uri, flow: flows[0] };
  const pick = await vscode.window.showQuickPick(
    flows.map((f) => ({ label: f.name, description: `${f.steps.length} steps`, flow: f })),
    { title: 'Which flow?' },
  );
  return pick && { uri, flow: pick.flow };
}

/** Saves the flow file when it has unsaved changes: the CLI runs what is on disk. */
export async function saveFirst(uri: vscode.Uri): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
}
