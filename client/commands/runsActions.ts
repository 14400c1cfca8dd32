// The Runs view's actions on its nodes: delete a run, copy a pathspec, open a task's logs or an
// artifact's value, go to a step's code; and "Show failed task" after a failed run.
import * as vscode from 'vscode';
import type { TaskRef } from '../runLog';
import { ArtifactNode, FlowNode, RunNode, RunsNode, StepNode, TaskNode } from '../runs/nodes';
import { artifactUri, taskLogUri } from '../runs/uris';
import type { CommandContext } from './context';

/** Deletes a run after a modal confirmation (`{ confirm: false }` skips it, for scripts and tests). */
export async function deleteRun(ctx: CommandContext, node?: RunNode, options?: { confirm?: boolean }): Promise<boolean> {
  if (!(node instanceof RunNode)) return false;
  const skipQuestion = options && !Array.isArray(options) && options.confirm === false;
  if (!skipQuestion) {
    const ok = await vscode.window.showWarningMessage(
      `Delete ${node.run.pathspec}? Its tasks, logs and records are removed from ${node.root}.`,
      { modal: true },
      'Delete',
    );
    if (ok !== 'Delete') return false;
  }
  await ctx.store.deleteRun(node.root, node.run.flow, node.run.id);
  return true;
}

export async function copyPathspec(node?: RunsNode): Promise<string | undefined> {
  const spec =
    node instanceof RunNode
      ? node.run.pathspec
      : node instanceof StepNode
        ? node.step.pathspec
        : node instanceof TaskNode
          ? node.task.pathspec
          : node instanceof ArtifactNode
            ? node.pathspec
            : node instanceof FlowNode
              ? node.flow.name
              : undefined;
  if (spec) {
    await vscode.env.clipboard.writeText(spec);
    vscode.window.setStatusBarMessage(`Copied ${spec}`, 3000);
  }
  return spec;
}

export async function openTaskLogs(node?: TaskNode | { root: string; pathspec: string }): Promise<vscode.TextEditor | undefined> {
  const [root, spec] = node instanceof TaskNode ? [node.runNode.root, node.task.pathspec] : node ? [node.root, node.pathspec] : [];
  if (!root || !spec) return undefined;
  const doc = await vscode.workspace.openTextDocument(taskLogUri(root, spec));
  await vscode.languages.setTextDocumentLanguage(doc, 'flowspec-log');
  return vscode.window.showTextDocument(doc, { preview: true });
}

/** An artifact of a task, as the language server's hover links to it (`command:flowspec.openArtifact?[...]`). */
export interface ArtifactRef {
  root: string;
  taskPathspec: string;
  name: string;
}

const isArtifactRef = (x: unknown): x is ArtifactRef =>
  !!x && typeof x === 'object' && ['root', 'taskPathspec', 'name'].every((k) => typeof (x as Record<string, unknown>)[k] === 'string');

/** Opens an artifact's value: a node of the Runs view, or a plain reference from a hover's link. */
export async function openArtifact(ctx: CommandContext, node?: ArtifactNode | ArtifactRef): Promise<vscode.TextEditor | undefined> {
  if (!(node instanceof ArtifactNode) && !isArtifactRef(node)) return undefined;
  const uri = node instanceof ArtifactNode ? node.uri : artifactUri(node.root, node.taskPathspec, node.name);
  let doc = await vscode.workspace.openTextDocument(uri);
  if (ctx.artifacts.languages.get(uri.toString()) === 'json' && doc.languageId !== 'json')
    doc = await vscode.languages.setTextDocumentLanguage(doc, 'json');
  return vscode.window.showTextDocument(doc, { preview: true });
}

export async function goToStep(ctx: CommandContext, node?: StepNode): Promise<void> {
  if (!(node instanceof StepNode)) return;
  const file = node.runNode.sourceFile;
  if (!file) return;
  const uri = vscode.Uri.file(file);
  const flow = await ctx.index.flow(uri, node.runNode.run.flow).catch(() => undefined);
  const step = flow?.steps.find((s) => s.name === node.step.name);
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = step
    ? new vscode.Range(step.range.start.line, step.range.start.character, step.range.end.line, step.range.end.character)
    : undefined;
  await vscode.window.showTextDocument(doc, { selection: range });
}

/** "Show failed task" after a failed run: the Runs view, and the task's logs and error. */
export async function showFailedTask(root: string, flow: string, task: TaskRef): Promise<void> {
  await vscode.commands.executeCommand('flowspecRuns.focus');
  await openTaskLogs({ root, pathspec: `${flow}/${task.runId}/${task.step}/${task.taskId}` });
}
