// The Runs view's nodes, one small class per kind: flow → run → step → task → artifact.
// What a node can do is in its contextValue (matched by the menus in package.json):
//   flowspecFlow · flowspecRun status-<state> [resumable] · flowspecStep · flowspecTask [failed] · flowspecCard · flowspecArtifact
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Flow, Run, Step, Task } from '../../runtime/client';
import { formatAge, formatBytes, formatDuration } from '../artifactFormat';
import { summarizeTexts, valueToText } from '../parameters';
import { RunState, RunsStore, runState, stepStatus } from './store';
import { artifactUri, taskLogUri } from './uris';

export type RunsNode = FlowNode | RunNode | StepNode | TaskNode | CardNode | ArtifactNode | MessageNode;

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
const STATE_ICON: Record<RunState | 'pending', vscode.ThemeIcon> = {
  success: icon('pass', 'testing.iconPassed'),
  failed: icon('error', 'testing.iconFailed'),
  running: icon('sync~spin', 'charts.blue'),
  killed: icon('circle-slash', 'testing.iconFailed'),
  crashed: icon('warning', 'list.warningForeground'),
  damaged: icon('warning', 'list.errorForeground'),
  pending: icon('circle-outline'),
};
const STATE_TEXT: Record<RunState, string> = { success: 'succeeded', failed: 'failed', running: 'running', killed: 'killed', crashed: 'crashed (its process is gone)', damaged: 'damaged (flowspec fsck --repair removes what cannot be trusted)' };

function safe<T>(f: () => T, fallback: T): T { try { return f(); } catch { return fallback; } }

export class FlowNode extends vscode.TreeItem {
  readonly kind = 'flow';
  constructor(readonly store: RunsStore, readonly root: string, readonly flow: Flow, showRoot: boolean) {
    super(flow.name, vscode.TreeItemCollapsibleState.Expanded);
    const runs = store.runs(root, flow.name);
    const latest = runs[0];
    this.id = `flow:${root}:${flow.name}`;
    this.iconPath = icon('type-hierarchy-sub');
    this.description = `${runs.length} run${runs.length === 1 ? '' : 's'}` + (showRoot ? ` · ${path.basename(path.dirname(root))}` : '');
    this.tooltip = `${flow.name} — ${runs.length} runs in ${root}` + (latest ? `\nlatest: run ${latest.id}, ${STATE_TEXT[runState(latest)]}` : '');
    this.contextValue = 'flowspecFlow';
  }
  children(limit: number): RunsNode[] {
    const runs = this.store.runs(this.root, this.flow.name);
    const nodes: RunsNode[] = runs.slice(0, limit).map((r) => new RunNode(this.root, r));
    if (runs.length > limit) nodes.push(new MessageNode(`${runs.length - limit} older runs not shown`, 'flowspec.runs.limit'));
    return nodes;
  }
}

export class RunNode extends vscode.TreeItem {
  readonly kind = 'run';
  readonly state: RunState;
  constructor(readonly root: string, readonly run: Run) {
    super(`Run ${run.id}`, vscode.TreeItemCollapsibleState.Collapsed);
    this.state = runState(run);
    const created = safe(() => run.createdAt, undefined);
    const finished = safe(() => run.finishedAt, undefined);
    const params = safe(() => run.parameters, {} as Record<string, unknown>);
    const tags = safe(() => run.userTags, [] as string[]);
    const origin = safe(() => run.record.originRunId, undefined);
    const texts = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, valueToText(v)]));
    const duration = created && finished ? formatDuration(finished.getTime() - created.getTime()) : this.state === 'running' ? 'running' : '';
    this.id = `run:${root}:${run.pathspec}`;
    this.iconPath = STATE_ICON[this.state];
    if (this.state === 'damaged') {
      this.description = `damaged: ${safe(() => run.damage, undefined) ?? 'unreadable'}`;
      this.tooltip = `${run.pathspec} — ${this.description}\nflowspec fsck --repair removes what cannot be trusted.`;
      this.contextValue = 'flowspecRun status-damaged';
      this.collapsibleState = vscode.TreeItemCollapsibleState.None;
      return;
    }
    this.description = [created ? formatAge(created) : '', duration, summarizeTexts(texts, 60), tags.map((t) => `#${t}`).join(' '), origin ? `↻ ${origin}` : '']
      .filter(Boolean).join(' · ');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${run.pathspec}** — ${STATE_TEXT[this.state]}\n\n`);
    if (created) md.appendMarkdown(`started ${created.toLocaleString()}` + (finished ? `, took ${formatDuration(finished.getTime() - created.getTime())}` : '') + '\n\n');
    if (origin) md.appendMarkdown(`resumed from run ${origin}\n\n`);
    if (Object.keys(texts).length) {
      md.appendMarkdown('| parameter | value |\n|---|---|\n');
      for (const [k, v] of Object.entries(texts)) md.appendMarkdown(`| ${k} | \`${v.replace(/\|/g, '\\|').slice(0, 200)}\` |\n`);
      md.appendMarkdown('\n');
    }
    const allTags = safe(() => run.tags, [] as string[]);
    if (allTags.length) md.appendMarkdown(`tags: ${allTags.map((t) => `\`${t}\``).join(' ')}`);
    this.tooltip = md;
    const resumable = this.state === 'failed' || this.state === 'killed' || this.state === 'crashed';
    this.contextValue = `flowspecRun status-${this.state}${resumable ? ' resumable' : ''}`;
  }
  get sourceFile(): string | undefined { return safe(() => this.run.record.sourceFile, undefined); }
  children(): RunsNode[] {
    const steps = safe(() => this.run.steps(), [] as Step[]);
    if (!steps.length) return [new MessageNode(this.state === 'running' ? 'starting…' : 'no tasks')];
    return steps.map((s) => new StepNode(this, s));
  }
}

export class StepNode extends vscode.TreeItem {
  readonly kind = 'step';
  readonly tasks: Task[];
  constructor(readonly runNode: RunNode, readonly step: Step) {
    super(step.name, vscode.TreeItemCollapsibleState.Collapsed);
    this.tasks = safe(() => step.tasks(), [] as Task[]);
    const status = stepStatus(this.tasks, runNode.state !== 'running');
    this.id = `step:${runNode.root}:${step.pathspec}`;
    this.iconPath = status === 'success' ? STATE_ICON.success : status === 'failed' ? STATE_ICON.failed : STATE_ICON.running;
    const times = this.tasks.map((t) => [t.startedAt?.getTime(), t.finishedAt?.getTime()]);
    const start = Math.min(...times.map((t) => t[0] ?? Infinity));
    const end = Math.max(...times.map((t) => t[1] ?? -Infinity));
    this.description = [this.tasks.length > 1 ? `${this.tasks.length} tasks` : '', end > start ? formatDuration(end - start) : '',
      this.tasks.length && this.tasks.every((t) => safe(() => t.origin, undefined)) ? 'cloned' : ''].filter(Boolean).join(' · ');
    this.tooltip = `${step.pathspec} — ${status}`;
    this.contextValue = 'flowspecStep';
  }
  children(): RunsNode[] { return this.tasks.map((t) => new TaskNode(this.runNode, t)); }
}

export class TaskNode extends vscode.TreeItem {
  readonly kind = 'task';
  constructor(readonly runNode: RunNode, readonly task: Task) {
    super(`task ${task.id}`, vscode.TreeItemCollapsibleState.Collapsed);
    const finished = task.finished;
    const ok = task.successful;
    const failed = (finished && !ok) || (!finished && runNode.state !== 'running');
    const origin = safe(() => task.origin?.pathspec, undefined);
    const exc = safe(() => task.exception, undefined);
    const metadata = safe(() => task.metadata, {} as Record<string, string>);
    this.id = `task:${runNode.root}:${task.pathspec}`;
    const pending = !finished && metadata['slurm-state'] === 'PENDING';
    this.iconPath = ok ? STATE_ICON.success : failed ? STATE_ICON.failed : pending ? STATE_ICON.pending : STATE_ICON.running;
    const started = task.startedAt; const ended = task.finishedAt;
    this.description = [task.index !== undefined ? `[${task.index}]` : '', slurmText(metadata, finished), started && ended ? formatDuration(ended.getTime() - started.getTime()) : '',
      task.retryCount ? `attempt ${task.retryCount + 1}` : '', origin ? 'cloned' : '', exc ? `${exc.type}: ${exc.message}` : ''].filter(Boolean).join(' · ');
    this.tooltip = `${task.pathspec}` + (origin ? `\ncloned from ${origin}` : '') + Object.entries(metadata).map(([k, v]) => `\n${k}: ${v}`).join('')
      + (exc ? `\n\n${exc.stack ?? `${exc.type}: ${exc.message}`}` : '');
    this.contextValue = `flowspecTask${failed ? ' failed' : ''}`;
  }
  children(): RunsNode[] {
    const cards: RunsNode[] = safe(() => this.task.cards, []).map((c) => new CardNode(this.runNode.root, this.task, c.index, c.id, c.type, c.data.status));
    const artifacts = safe(() => Object.values(this.task.artifacts), []);
    const nodes: RunsNode[] = artifacts.sort((a, b) => a.name.localeCompare(b.name)).map((a) => new ArtifactNode(this.runNode.root, this.task, a.name, a.type, a.size, a.preview));
    const logs = new MessageNode('logs', undefined, icon('output'));
    logs.command = { command: 'flowspec.openTaskLogs', title: 'Open task logs', arguments: [this] };
    logs.tooltip = 'stdout and stderr of the task';
    nodes.push(logs);
    return [...cards, ...nodes];
  }
}

/** `slurm 12_3`, with the job's state while it is queued or running, or when Slurm ended it. */
function slurmText(metadata: Record<string, string>, finished: boolean): string {
  const id = metadata['slurm-job-id'];
  if (!id) return '';
  const state = metadata['slurm-state'];
  return `slurm ${id}` + (state && (!finished || state !== 'COMPLETED') ? ` ${state}` : '');
}

/** A card of the task (`@card`): a click opens it in a webview tab. */
export class CardNode extends vscode.TreeItem {
  readonly kind = 'card';
  readonly pathspec: string;
  constructor(readonly root: string, task: Task, readonly index: number, id: string | undefined, type: string, status: 'running' | 'final') {
    super(`card${id ? ` ${id}` : index ? ` ${index}` : ''}`, vscode.TreeItemCollapsibleState.None);
    this.pathspec = task.pathspec;
    this.id = `card:${root}:${task.pathspec}/${index}`;
    this.iconPath = icon('preview');
    this.description = [type, status === 'running' ? 'live' : ''].filter(Boolean).join(' · ');
    this.tooltip = `${task.pathspec} — ${type} card${id ? ` '${id}'` : ''}${status === 'running' ? ' (the task is updating it)' : ''}`;
    this.contextValue = 'flowspecCard';
    this.command = { command: 'flowspec.openCard', title: 'Open card', arguments: [{ root, pathspec: task.pathspec, index }] };
  }
  children(): RunsNode[] { return []; }
}

export class ArtifactNode extends vscode.TreeItem {
  readonly kind = 'artifact';
  constructor(readonly root: string, readonly task: Task, readonly name: string, type: string, size: number, preview: string) {
    super(name, vscode.TreeItemCollapsibleState.None);
    this.id = `artifact:${root}:${task.pathspec}/${name}`;
    this.iconPath = icon('symbol-variable');
    this.description = preview;
    this.tooltip = `${task.pathspec}/${name}\n${type}, ${formatBytes(size)}\n\n${preview}`;
    this.contextValue = 'flowspecArtifact';
    this.command = { command: 'flowspec.openArtifact', title: 'Open artifact', arguments: [this] };
  }
  get pathspec(): string { return `${this.task.pathspec}/${this.name}`; }
  children(): RunsNode[] { return []; }
  get uri(): vscode.Uri { return artifactUri(this.root, this.task.pathspec, this.name); }
}

export class MessageNode extends vscode.TreeItem {
  readonly kind = 'message';
  constructor(text: string, setting?: string, iconPath?: vscode.ThemeIcon) {
    super(text, vscode.TreeItemCollapsibleState.None);
    this.iconPath = iconPath;
    if (setting) this.tooltip = `change ${setting} to show more`;
    this.contextValue = 'flowspecMessage';
  }
  children(): RunsNode[] { return []; }
}

export { taskLogUri };
