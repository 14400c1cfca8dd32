// The Runs view's nodes, one small class per kind: flow → run → step → task → artifact. Each is
// plain data, built from a snapshot of the datastore reader (client/reader/protocol.ts); the tree
// (tree.ts) asks the reader for a node's children.
// What a node can do is in its contextValue (matched by the menus in package.json):
//   flowspecFlow · flowspecRun status-<state> [resumable] · flowspecStep · flowspecTask [failed] · flowspecCard · flowspecArtifact
import * as vscode from 'vscode';
import * as path from 'node:path';
import { formatAge, formatBytes, formatDuration } from '../../model/format';
import { summarizeTexts, valueToText } from '../parameters';
import {
  ArtifactSummary,
  CardSummary,
  FlowSnapshot,
  RunState,
  RunSummary,
  StepSnapshot,
  TaskSummary,
  stepStatus,
} from '../reader/protocol';
import { artifactUri } from './uris';

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
const STATE_TEXT: Record<RunState, string> = {
  success: 'succeeded',
  failed: 'failed',
  running: 'running',
  killed: 'killed',
  crashed: 'crashed (its process is gone)',
  damaged: 'damaged (flowspec fsck --repair removes what cannot be trusted)',
};

export class FlowNode extends vscode.TreeItem {
  readonly kind = 'flow';
  readonly root: string;
  constructor(
    readonly flow: FlowSnapshot,
    showRoot: boolean,
  ) {
    super(flow.name, vscode.TreeItemCollapsibleState.Expanded);
    const { root, total } = flow;
    const latest = flow.runs[0];
    this.root = root;
    this.id = `flow:${root}:${flow.name}`;
    this.iconPath = icon('type-hierarchy-sub');
    this.description = `${total} run${total === 1 ? '' : 's'}` + (showRoot ? ` · ${path.basename(path.dirname(root))}` : '');
    this.tooltip = `${flow.name} — ${total} runs in ${root}` + (latest ? `\nlatest: run ${latest.id}, ${STATE_TEXT[latest.state]}` : '');
    this.contextValue = 'flowspecFlow';
  }
  /** The runs the snapshot holds (the newest `flowspec.runs.limit`), then how many are not shown. */
  children(): RunsNode[] {
    const nodes: RunsNode[] = this.flow.runs.map((r) => new RunNode(this.root, r));
    const hidden = this.flow.total - this.flow.runs.length;
    if (hidden > 0) nodes.push(new MessageNode(`${hidden} older runs not shown`, 'flowspec.runs.limit'));
    return nodes;
  }
}

export class RunNode extends vscode.TreeItem {
  readonly kind = 'run';
  readonly state: RunState;
  constructor(
    readonly root: string,
    readonly run: RunSummary,
  ) {
    super(`Run ${run.id}`, vscode.TreeItemCollapsibleState.Collapsed);
    this.state = run.state;
    const created = run.createdAt !== undefined ? new Date(run.createdAt) : undefined;
    const finished = run.finishedAt !== undefined ? new Date(run.finishedAt) : undefined;
    const origin = run.originRunId;
    const texts = Object.fromEntries(Object.entries(run.parameters).map(([k, v]) => [k, valueToText(v)]));
    const duration =
      created && finished ? formatDuration(finished.getTime() - created.getTime()) : this.state === 'running' ? 'running' : '';
    this.id = `run:${root}:${run.pathspec}`;
    this.iconPath = STATE_ICON[this.state];
    if (this.state === 'damaged') {
      this.description = `damaged: ${run.damage ?? 'unreadable'}`;
      this.tooltip = `${run.pathspec} — ${this.description}\nflowspec fsck --repair removes what cannot be trusted.`;
      this.contextValue = 'flowspecRun status-damaged';
      this.collapsibleState = vscode.TreeItemCollapsibleState.None;
      return;
    }
    this.description = [
      created ? formatAge(created) : '',
      duration,
      summarizeTexts(texts, 60),
      run.userTags.map((t) => `#${t}`).join(' '),
      origin ? `↻ ${origin}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    // A screen reader names the flow too (the row shows it only through its parent).
    this.accessibilityInformation = { label: `${run.pathspec}, ${STATE_TEXT[this.state]}, ${this.description}` };
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${run.pathspec}** — ${STATE_TEXT[this.state]}\n\n`);
    if (created)
      md.appendMarkdown(
        `started ${created.toLocaleString()}` +
          (finished ? `, took ${formatDuration(finished.getTime() - created.getTime())}` : '') +
          '\n\n',
      );
    if (origin) md.appendMarkdown(`resumed from run ${origin}\n\n`);
    if (Object.keys(texts).length) {
      md.appendMarkdown('| parameter | value |\n|---|---|\n');
      for (const [k, v] of Object.entries(texts)) md.appendMarkdown(`| ${k} | \`${v.replace(/\|/g, '\\|').slice(0, 200)}\` |\n`);
      md.appendMarkdown('\n');
    }
    if (run.tags.length) md.appendMarkdown(`tags: ${run.tags.map((t) => `\`${t}\``).join(' ')}`);
    this.tooltip = md;
    const resumable = this.state === 'failed' || this.state === 'killed' || this.state === 'crashed';
    this.contextValue = `flowspecRun status-${this.state}${resumable ? ' resumable' : ''}`;
  }
  get sourceFile(): string | undefined {
    return this.run.sourceFile;
  }
  /** The run's steps, from the reader's snapshot. */
  children(steps: StepSnapshot[]): RunsNode[] {
    if (!steps.length) return [new MessageNode(this.state === 'running' ? 'starting…' : 'no tasks')];
    return steps.map((s) => new StepNode(this, s));
  }
}

export class StepNode extends vscode.TreeItem {
  readonly kind = 'step';
  readonly tasks: TaskSummary[];
  constructor(
    readonly runNode: RunNode,
    readonly step: StepSnapshot,
  ) {
    super(step.name, vscode.TreeItemCollapsibleState.Collapsed);
    this.tasks = step.tasks;
    const status = stepStatus(this.tasks, runNode.state !== 'running');
    this.id = `step:${runNode.root}:${step.pathspec}`;
    this.iconPath = status === 'success' ? STATE_ICON.success : status === 'failed' ? STATE_ICON.failed : STATE_ICON.running;
    const start = Math.min(...this.tasks.map((t) => t.startedAt ?? Infinity));
    const end = Math.max(...this.tasks.map((t) => t.finishedAt ?? -Infinity));
    this.description = [
      this.tasks.length > 1 ? `${this.tasks.length} tasks` : '',
      end > start ? formatDuration(end - start) : '',
      this.tasks.length && this.tasks.every((t) => t.origin) ? 'cloned' : '',
    ]
      .filter(Boolean)
      .join(' · ');
    this.tooltip = `${step.pathspec} — ${status}`;
    this.contextValue = 'flowspecStep';
  }
  children(): RunsNode[] {
    return this.tasks.map((t) => new TaskNode(this.runNode, t));
  }
}

export class TaskNode extends vscode.TreeItem {
  readonly kind = 'task';
  constructor(
    readonly runNode: RunNode,
    readonly task: TaskSummary,
  ) {
    super(`task ${task.id}`, vscode.TreeItemCollapsibleState.Collapsed);
    const { finished, successful: ok, origin, exception: exc, metadata } = task;
    const failed = (finished && !ok) || (!finished && runNode.state !== 'running');
    this.id = `task:${runNode.root}:${task.pathspec}`;
    const pending = !finished && metadata['slurm-state'] === 'PENDING';
    this.iconPath = ok ? STATE_ICON.success : failed ? STATE_ICON.failed : pending ? STATE_ICON.pending : STATE_ICON.running;
    const started = task.startedAt;
    const ended = task.finishedAt;
    this.description = [
      task.index !== undefined ? `[${task.index}]` : '',
      slurmText(metadata, finished),
      started !== undefined && ended !== undefined ? formatDuration(ended - started) : '',
      task.retryCount ? `attempt ${task.retryCount + 1}` : '',
      origin ? 'cloned' : '',
      exc ? `${exc.type}: ${exc.message}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    this.tooltip =
      `${task.pathspec}` +
      (origin ? `\ncloned from ${origin}` : '') +
      Object.entries(metadata)
        .map(([k, v]) => `\n${k}: ${v}`)
        .join('') +
      (exc ? `\n\n${exc.stack ?? `${exc.type}: ${exc.message}`}` : '');
    this.contextValue = `flowspecTask${failed ? ' failed' : ''}`;
  }
  /** The task's cards first, then its artifacts, then its logs. */
  children(cards: CardSummary[], artifacts: ArtifactSummary[]): RunsNode[] {
    const root = this.runNode.root;
    const logs = new MessageNode('logs', undefined, icon('output'));
    logs.command = { command: 'flowspec.openTaskLogs', title: 'Open task logs', arguments: [this] };
    logs.tooltip = 'stdout and stderr of the task';
    return [
      ...cards.map((c) => new CardNode(root, this.task.pathspec, c)),
      ...artifacts.map((a) => new ArtifactNode(root, this.task.pathspec, a)),
      logs,
    ];
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
  readonly index: number;
  constructor(
    readonly root: string,
    readonly pathspec: string,
    card: CardSummary,
  ) {
    const { index, id, type, status } = card;
    super(`card${id ? ` ${id}` : index ? ` ${index}` : ''}`, vscode.TreeItemCollapsibleState.None);
    this.index = index;
    this.id = `card:${root}:${pathspec}/${index}`;
    this.iconPath = icon('preview');
    this.description = [type, status === 'running' ? 'live' : ''].filter(Boolean).join(' · ');
    this.tooltip = `${pathspec} — ${type} card${id ? ` '${id}'` : ''}${status === 'running' ? ' (the task is updating it)' : ''}`;
    this.contextValue = 'flowspecCard';
    this.command = { command: 'flowspec.openCard', title: 'Open card', arguments: [{ root, pathspec, index }] };
  }
}

export class ArtifactNode extends vscode.TreeItem {
  readonly kind = 'artifact';
  readonly name: string;
  constructor(
    readonly root: string,
    readonly taskPathspec: string,
    artifact: ArtifactSummary,
  ) {
    const { name, type, size, preview } = artifact;
    super(name, vscode.TreeItemCollapsibleState.None);
    this.name = name;
    this.id = `artifact:${root}:${taskPathspec}/${name}`;
    this.iconPath = icon('symbol-variable');
    this.description = preview;
    this.tooltip = `${taskPathspec}/${name}\n${type}, ${formatBytes(size)}\n\n${preview}`;
    this.contextValue = 'flowspecArtifact';
    this.command = { command: 'flowspec.openArtifact', title: 'Open artifact', arguments: [this] };
  }
  get pathspec(): string {
    return `${this.taskPathspec}/${this.name}`;
  }
  get uri(): vscode.Uri {
    return artifactUri(this.root, this.taskPathspec, this.name);
  }
}

export class MessageNode extends vscode.TreeItem {
  readonly kind = 'message';
  constructor(text: string, setting?: string, iconPath?: vscode.ThemeIcon) {
    super(text, vscode.TreeItemCollapsibleState.None);
    this.iconPath = iconPath;
    if (setting) this.tooltip = `change ${setting} to show more`;
    this.contextValue = 'flowspecMessage';
  }
}
