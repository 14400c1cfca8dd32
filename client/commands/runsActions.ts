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

/**
 * Adds user tags to a run: `tags` given (scripts, tests), or typed in an input box, separated by
 * spaces or commas. Returns the run's user tags after, or undefined when nothing changed.
 */
export async function addTags(ctx: CommandContext, node?: RunNode, tags?: string[]): Promise<string[] | undefined> {
  if (!(node instanceof RunNode)) return undefined;
  const chosen =
    tags ??
    splitTags(
      (await vscode.window.showInputBox({
        title: `Add tags to ${node.run.pathspec}`,
        prompt: 'Tags separated by spaces or commas',
        validateInput: (text) =>
          splitTags(text).some((t) => node.run.tags.includes(t) && !node.run.userTags.includes(t))
            ? 'a system tag cannot be added'
            : undefined,
      })) ?? '',
    );
  return chosen.length ? changeTags(ctx, node, { add: chosen, remove: [] }) : undefined;
}

/** Removes user tags of a run: `tags` given, or picked among its user tags (system tags are not offered). */
export async function removeTags(ctx: CommandContext, node?: RunNode, tags?: string[]): Promise<string[] | undefined> {
  if (!(node instanceof RunNode)) return undefined;
  if (!tags && !node.run.userTags.length) {
    void vscode.window.showInformationMessage(`${node.run.pathspec} has no user tags to remove (system tags cannot be changed).`);
    return undefined;
  }
  const chosen =
    tags ?? (await vscode.window.showQuickPick(node.run.userTags, { title: `Remove tags of ${node.run.pathspec}`, canPickMany: true }));
  return chosen?.length ? changeTags(ctx, node, { add: [], remove: chosen }) : undefined;
}

async function changeTags(ctx: CommandContext, node: RunNode, change: { add: string[]; remove: string[] }): Promise<string[] | undefined> {
  try {
    return await ctx.store.changeTags(node.root, node.run.flow, node.run.id, change);
  } catch (e) {
    void vscode.window.showErrorMessage(`Tags of ${node.run.pathspec}: ${(e as Error).message}`);
    return undefined;
  }
}

function splitTags(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
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
