// The extension's commands. Each takes optional arguments so it can be driven without prompts
// (tests, other extensions, keybindings), e.g.
//   flowspec.run     { uri, flow, parameters?: { name: value }, maxWorkers?, with?: 'slurm' }  → RunResult
//   flowspec.resume  { uri, flow, originRunId?, step? }                        → RunResult
//   flowspec.debug   { uri, flow, parameters? }                                → boolean (session started)
//   flowspec.showGraph { uri, flow }                                           → { flow, steps }
//   flowspec.saveParams { uri, flow, parameters?, refs?, confirm? }            → the params file's path
// `refs` (run, debug, saveParams) are params-file refs: { name: { ref: 'flows.F.3', value: 'outputs.x' } }.
// Without arguments they work on the active editor and ask for what is missing.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { datastoreRoot, maxWorkersArgs } from './config';
import { runArtifacts, successfulRuns } from './earlierRuns';
import { createServer } from 'node:net';
import { FlowIndex } from './flowIndex';
import { GraphPanels } from './graph/panel';
import type { FlowInfo } from './languageClient';
import { Answers, ParameterInfo, RefAnswer, describeRef, isRef, parameterArgs, textsFromRun, valueToText } from './parameters';
import { paramsFileFor, paramsFileText, refsParamsText } from './paramsFile';
import { EarlierRuns, promptParameters, promptWhere, PastRun, PromptOptions, RunWhere } from './prompts';
import { vscodePromptUi } from './promptUi';
import { expectedTaskCount, TaskRef } from './runLog';
import { RunManager, RunResult, slurmAvailable } from './runner';
import { ArtifactNode, FlowNode, RunNode, RunsNode, StepNode, TaskNode } from './runs/nodes';
import { RunsStore, runState, folderOf } from './runs/store';
import { RunsTreeProvider } from './runs/tree';
import { ArtifactDocuments } from './runs/documents';
import { taskLogUri } from './runs/uris';
import { formatAge } from './artifactFormat';

export interface FlowArgs { uri?: string | vscode.Uri; flow?: string }
export interface RunArgs extends FlowArgs { parameters?: Record<string, unknown>; refs?: Record<string, RefAnswer>; maxWorkers?: number; tags?: string[]; with?: 'slurm' }
export interface SaveParamsArgs extends RunArgs { confirm?: boolean }
export interface ResumeArgs extends FlowArgs { originRunId?: string; step?: string }

interface Target { uri: vscode.Uri; flow: FlowInfo }

const REMEMBER_KEY = (uri: vscode.Uri, flow: string) => `flowspec.params:${uri.toString()}#${flow}`;

export class Commands {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly index: FlowIndex,
    private readonly runner: RunManager,
    private readonly store: RunsStore,
    private readonly tree: RunsTreeProvider,
    private readonly graphs: GraphPanels,
    private readonly artifacts: ArtifactDocuments,
  ) {}

  register(): vscode.Disposable[] {
    const c = (id: string, f: (...a: any[]) => unknown) => vscode.commands.registerCommand(id, f, this);
    return [
      c('flowspec.run', this.run),
      c('flowspec.resume', this.resume),
      c('flowspec.debug', this.debug),
      c('flowspec.showGraph', this.showGraph),
      c('flowspec.saveParams', this.saveParams),
      c('flowspec.refreshRuns', () => this.tree.refresh()),
      c('flowspec.resumeRun', (n: RunNode) => this.resume(n)),
      c('flowspec.deleteRun', this.deleteRun),
      c('flowspec.copyPathspec', this.copyPathspec),
      c('flowspec.openTaskLogs', this.openTaskLogs),
      c('flowspec.openArtifact', this.openArtifact),
      c('flowspec.goToStep', this.goToStep),
      c('flowspec.cancelRuns', () => this.runner.cancelAll()),
    ];
  }

  // ---- run / resume / debug -------------------------------------------------------------------

  async run(arg?: RunArgs | FlowNode | RunNode): Promise<RunResult | undefined> {
    const target = await this.target(arg);
    if (!target) return undefined;
    const where = await this.where(target, isRunArgs(arg) ? arg : undefined);
    if (!where) return undefined;
    const params = await this.parameterArgs(target, isRunArgs(arg) ? arg : undefined);
    if (!params) return undefined;
    const workers = isRunArgs(arg) && arg.maxWorkers ? ['--max-workers', String(arg.maxWorkers)] : maxWorkersArgs();
    const tags = isRunArgs(arg) ? (arg.tags ?? []).flatMap((t) => ['--tag', t]) : [];
    const onSlurm = where === 'slurm';
    return this.runner.start({
      file: target.uri, flow: target.flow.name, command: 'run',
      args: ['--flow', target.flow.name, ...params.args, ...workers, ...tags, ...(onSlurm ? ['--with', 'slurm'] : [])],
      expectedTasks: expectedTaskCount(target.flow), title: `Running ${target.flow.name}${onSlurm ? ' on Slurm' : ''}`, notes: params.notes, onSlurm,
    }).finally(params.cleanup);
  }

  /** Where the run's tasks go: as the arguments say, else asked when Slurm is at hand, else here. */
  private async where(target: Target, arg?: RunArgs): Promise<RunWhere | undefined> {
    if (arg?.with) return arg.with;
    if (arg?.parameters || arg?.refs || !slurmAvailable(folderOf(target.uri))) return 'local';
    return promptWhere(target.flow.name, vscodePromptUi);
  }

  async resume(arg?: ResumeArgs | FlowNode | RunNode): Promise<RunResult | undefined> {
    const target = await this.target(arg);
    if (!target) return undefined;
    const flow = target.flow.name;
    let origin = arg instanceof RunNode ? arg.run.id : isRunArgs(arg) ? (arg as ResumeArgs).originRunId : undefined;
    if (!origin) {
      const runs = this.store.runsFor(target.uri, flow).slice(0, 30);
      if (!runs.length) { void vscode.window.showInformationMessage(`${flow} has no runs to resume yet.`); return undefined; }
      const failed = runs.filter((r) => ['failed', 'killed', 'crashed'].includes(runState(r)));
      const others = runs.filter((r) => !failed.includes(r)).slice(0, 10);
      const item = (r: typeof runs[number]) => ({ label: `${runState(r) === 'success' ? '$(pass)' : '$(error)'} Run ${r.id}`, description: `${runState(r)} · ${safeAge(r)}`, id: r.id });
      const items: Array<vscode.QuickPickItem & { id?: string }> = [
        ...(failed.length ? [{ label: 'failed runs', kind: vscode.QuickPickItemKind.Separator }, ...failed.map(item)] : []),
        ...(others.length ? [{ label: 'other runs (re-run from a step)', kind: vscode.QuickPickItemKind.Separator }, ...others.map(item)] : []),
      ];
      const pick = await vscode.window.showQuickPick(items, { title: `Resume ${flow}: which run?`, placeHolder: failed.length ? 'A failed run (the latest is first)' : 'No failed runs: pick a run to re-run from a step', ignoreFocusOut: true });
      if (!pick?.id) return undefined;
      origin = pick.id;
    }
    let step: string | undefined;
    if (isRunArgs(arg) && 'step' in arg) step = (arg as ResumeArgs).step;
    else {
      const items: Array<vscode.QuickPickItem & { step?: string }> = [
        { label: '$(debug-restart) From the failed step', description: 'reuse every task that succeeded before it' },
        ...target.flow.steps.map((s) => ({ label: `$(arrow-right) From ${s.name}`, description: s.kind, step: s.name })),
      ];
      const pick = await vscode.window.showQuickPick(items, { title: `Resume ${flow} run ${origin}: from which step?`, ignoreFocusOut: true });
      if (!pick) return undefined;
      step = pick.step;
    }
    await this.saveFirst(target.uri);
    return this.runner.start({
      file: target.uri, flow, command: 'resume',
      args: [...(step ? [step] : []), '--flow', flow, '--origin-run-id', origin, ...maxWorkersArgs()],
      expectedTasks: expectedTaskCount(target.flow), title: `Resuming ${flow} run ${origin}`,
    });
  }

  /**
   * Runs the flow with `--inspect=PORT` (the CLI runs its tasks in one worker under the Node
   * inspector, holding the first task until a debugger is attached) and attaches VS Code's
   * JavaScript debugger to that port, with source maps to the flow's .ts file. The run's output
   * and progress are the same as a normal run's; ending the debug session stops the run.
   */
  async debug(arg?: RunArgs | FlowNode): Promise<boolean> {
    const target = await this.target(arg);
    if (!target) return false;
    const params = await this.parameterArgs(target, isRunArgs(arg) ? arg : undefined);
    if (!params) return false;
    const folder = vscode.workspace.getWorkspaceFolder(target.uri);
    const cwd = folderOf(target.uri);
    const root = datastoreRoot(cwd);
    const port = await freePort();
    let cancel: (() => void) | undefined;
    let session: vscode.DebugSession | undefined;
    const run = this.runner.start({
      file: target.uri, flow: target.flow.name, command: 'run',
      args: ['--flow', target.flow.name, ...params.args, `--inspect=${port}`],
      expectedTasks: expectedTaskCount(target.flow), title: `Debugging ${target.flow.name}`, notes: params.notes,
      onStart: (c) => { cancel = c; },
    }).finally(params.cleanup);
    const name = `Debug ${target.flow.name}`;
    const config: vscode.DebugConfiguration = {
      type: 'node', request: 'attach', name, address: '127.0.0.1', port,
      // The worker opens its port a moment after the CLI starts: keep trying for a while.
      timeout: 30000,
      continueOnAttach: true,
      sourceMaps: true,
      // The flow's code package (bundled with a source map to the .ts file) lives in the datastore,
      // and each task loads it afresh and runs it at once: have the debugger map every script
      // before it runs, so breakpoints in the .ts file bind in time.
      pauseForSourceMap: true,
      outFiles: [`${root}/.code/**/*.js`],
      runtimeSourcemapPausePatterns: [`${root}/.code/*/flow.js`],
      resolveSourceMapLocations: [`${cwd}/**`, `${root}/**`, '!**/node_modules/**'],
      skipFiles: ['<node_internals>/**', `${this.context.asAbsolutePath('dist')}/**`],
    };
    const sub = vscode.debug.onDidStartDebugSession((s) => { if (s.configuration.name === name && s.configuration.port === port) session ??= s; });
    const ended = vscode.debug.onDidTerminateDebugSession((s) => { if (s === session) cancel?.(); });
    void run.finally(() => {
      sub.dispose(); ended.dispose();
      if (session) void vscode.debug.stopDebugging(session);
    });
    const started = await vscode.debug.startDebugging(folder, config);
    if (!started) cancel?.();
    return started;
  }

  /** Saves the flow file when it has unsaved changes: the CLI runs what is on disk. */
  private async saveFirst(uri: vscode.Uri): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) await doc.save();
  }

  /**
   * The CLI arguments for the parameters: `--name value` for literal answers, and `--params FILE`
   * with a temporary params file for the answers taken from earlier runs (refs), so the run records
   * where they came from. `cleanup` removes that file once the run is over.
   */
  private async parameterArgs(target: Target, arg?: RunArgs): Promise<{ args: string[]; notes: string[]; cleanup: () => void } | undefined> {
    const params: ParameterInfo[] = target.flow.parameters;
    const answers = await this.answers(target, arg);
    if (!answers) return undefined;
    await this.saveFirst(target.uri);
    const declared = new Set(params.map((p) => p.name));
    // Values for names the flow does not declare are passed as given: the CLI says what is wrong.
    const extra = Object.entries(answers).filter(([k, v]) => !declared.has(k) && typeof v === 'string').flatMap(([k, v]) => [`--${k}`, v as string]);
    let args: string[];
    try { args = [...parameterArgs(params, answers), ...extra]; } catch (e) {
      void vscode.window.showErrorMessage(`${target.flow.name}: ${(e as Error).message}`);
      return undefined;
    }
    const refs = refsParamsText(answers);
    if (!refs) return { args, notes: [], cleanup: () => undefined };
    const dir = mkdtempSync(path.join(tmpdir(), 'flowspec-params-'));
    const file = path.join(dir, 'params.json');
    writeFileSync(file, refs);
    // Literal answers stay on the command line (they win over the file; there is no overlap anyway).
    // The file is gone after the run: the output says what it held (the run records it as each parameter's source).
    const notes = Object.entries(answers).filter(([, a]) => isRef(a)).map(([k, a]) => `${k} ← ${describeRef(a as RefAnswer)} (--params file)`);
    return { args: ['--params', file, ...args], notes, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }

  /** The parameter answers: from the command's arguments, else from the prompts (remembered per flow). */
  private async answers(target: Target, arg?: RunArgs, prompt: Pick<PromptOptions, 'title' | 'accept'> = {}): Promise<Answers | undefined> {
    const params: ParameterInfo[] = target.flow.parameters;
    if (arg?.parameters || arg?.refs) {
      return { ...Object.fromEntries(Object.entries(arg.parameters ?? {}).map(([k, v]) => [k, valueToText(v)])), ...(arg.refs ?? {}) };
    }
    const key = REMEMBER_KEY(target.uri, target.flow.name);
    const pastRuns: PastRun[] = this.store.runsFor(target.uri, target.flow.name).slice(0, 5).flatMap((r) => {
      try { return [{ id: r.id, texts: textsFromRun(params, r.parameters), detail: `${runState(r)} · ${safeAge(r)}` }]; } catch { return []; }
    });
    const answers = await promptParameters(target.flow.name, params, vscodePromptUi, {
      ...prompt, remembered: this.context.workspaceState.get(key), pastRuns, earlierRuns: this.earlierRuns(target.uri),
    });
    if (answers) await this.context.workspaceState.update(key, answers);
    return answers;
  }

  /**
   * "Value from an earlier run": the successful runs in the datastore the flow's runs use, read
   * when the user asks for them; offered when the datastore has runs at all.
   */
  private earlierRuns(file: vscode.Uri): EarlierRuns | undefined {
    const root = datastoreRoot(folderOf(file));
    if (!this.store.flows().some((f) => f.root === root)) return undefined;
    return { runs: () => safe(() => successfulRuns(root)) ?? [], artifacts: (r) => safe(() => runArtifacts(root, r.flow, r.id)) ?? [] };
  }

  /**
   * Asks the parameters like Run (or takes them from the arguments) and writes them as a params
   * file next to the flow, `<flow-file-base>.params.yaml`, with a header naming the flow; opens it.
   * An existing file is replaced after a modal question (`confirm: false` skips it).
   */
  async saveParams(arg?: SaveParamsArgs | FlowNode): Promise<string | undefined> {
    const target = await this.target(arg);
    if (!target) return undefined;
    const runArg = isRunArgs(arg) ? arg : undefined;
    const answers = await this.answers(target, runArg, { title: `Save ${target.flow.name} params`, accept: '$(save) Save these values' });
    if (!answers) return undefined;
    const file = paramsFileFor(target.uri.fsPath);
    let text: string;
    try { text = paramsFileText(target.uri.fsPath, target.flow.name, target.flow.parameters, answers); } catch (e) {
      void vscode.window.showErrorMessage(`${target.flow.name}: ${(e as Error).message}`);
      return undefined;
    }
    const uri = vscode.Uri.file(file);
    const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
    if (exists && (runArg as SaveParamsArgs | undefined)?.confirm !== false) {
      const ok = await vscode.window.showWarningMessage(`${path.basename(file)} exists. Replace it with these values?`, { modal: true }, 'Replace');
      if (ok !== 'Replace') return undefined;
    }
    // Through the editor when the file is open (keeps its undo history), else on disk.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), text);
      await vscode.workspace.applyEdit(edit);
      await open.save();
    } else {
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    }
    await vscode.window.showTextDocument(uri, { preview: false });
    return file;
  }

  // ---- graph ------------------------------------------------------------------------------------

  async showGraph(arg?: FlowArgs): Promise<{ flow: string; steps: number } | undefined> {
    const target = await this.target(arg);
    if (!target) return undefined;
    const panel = await this.graphs.show(target.uri, target.flow.name);
    return { flow: panel.flow, steps: panel.data?.steps.length ?? target.flow.steps.length };
  }

  // ---- Runs view actions ------------------------------------------------------------------------

  /** Deletes a run after a modal confirmation (`{ confirm: false }` skips it, for scripts and tests). */
  async deleteRun(node?: RunNode, options?: { confirm?: boolean }): Promise<boolean> {
    if (!(node instanceof RunNode)) return false;
    if (options && !Array.isArray(options) && options.confirm === false) {
      this.store.deleteRun(node.root, node.run.flow, node.run.id);
      return true;
    }
    const ok = await vscode.window.showWarningMessage(`Delete ${node.run.pathspec}? Its tasks, logs and records are removed from ${node.root}.`, { modal: true }, 'Delete');
    if (ok !== 'Delete') return false;
    this.store.deleteRun(node.root, node.run.flow, node.run.id);
    return true;
  }

  async copyPathspec(node?: RunsNode): Promise<string | undefined> {
    const spec = node instanceof RunNode ? node.run.pathspec : node instanceof StepNode ? node.step.pathspec
      : node instanceof TaskNode ? node.task.pathspec : node instanceof ArtifactNode ? node.pathspec : node instanceof FlowNode ? node.flow.name : undefined;
    if (spec) {
      await vscode.env.clipboard.writeText(spec);
      vscode.window.setStatusBarMessage(`Copied ${spec}`, 3000);
    }
    return spec;
  }

  async openTaskLogs(node?: TaskNode | { root: string; pathspec: string }): Promise<vscode.TextEditor | undefined> {
    const [root, spec] = node instanceof TaskNode ? [node.runNode.root, node.task.pathspec] : node ? [node.root, node.pathspec] : [];
    if (!root || !spec) return undefined;
    const doc = await vscode.workspace.openTextDocument(taskLogUri(root, spec));
    await vscode.languages.setTextDocumentLanguage(doc, 'flowspec-log');
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  async openArtifact(node?: ArtifactNode): Promise<vscode.TextEditor | undefined> {
    if (!(node instanceof ArtifactNode)) return undefined;
    const uri = node.uri;
    let doc = await vscode.workspace.openTextDocument(uri);
    if (this.artifacts.languages.get(uri.toString()) === 'json' && doc.languageId !== 'json') doc = await vscode.languages.setTextDocumentLanguage(doc, 'json');
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  async goToStep(node?: StepNode): Promise<void> {
    if (!(node instanceof StepNode)) return;
    const file = node.runNode.sourceFile;
    if (!file) return;
    const uri = vscode.Uri.file(file);
    const flow = await this.index.flow(uri, node.runNode.run.flow).catch(() => undefined);
    const step = flow?.steps.find((s) => s.name === node.step.name);
    const doc = await vscode.workspace.openTextDocument(uri);
    const range = step ? new vscode.Range(step.range.start.line, step.range.start.character, step.range.end.line, step.range.end.character) : undefined;
    await vscode.window.showTextDocument(doc, { selection: range });
  }

  /** "Show failed task" after a failed run: the Runs view, and the task's logs and error. */
  async showFailedTask(root: string, flow: string, task: TaskRef): Promise<void> {
    await vscode.commands.executeCommand('flowspecRuns.focus');
    await this.openTaskLogs({ root, pathspec: `${flow}/${task.runId}/${task.step}/${task.taskId}` });
  }

  // ---- targets ----------------------------------------------------------------------------------

  /** The file and flow a command is about: from its arguments, a tree node, or the active editor. */
  private async target(arg?: FlowArgs | FlowNode | RunNode): Promise<Target | undefined> {
    let uri: vscode.Uri | undefined;
    let name: string | undefined;
    if (arg instanceof FlowNode || arg instanceof RunNode) {
      const run = arg instanceof RunNode ? arg : undefined;
      const latest = run?.run ?? this.store.runs(arg.root, arg instanceof FlowNode ? arg.flow.name : '')[0];
      const file = run?.sourceFile ?? (latest ? safe(() => latest.record.sourceFile) : undefined);
      if (!file) { void vscode.window.showErrorMessage('The run does not say which file it ran.'); return undefined; }
      uri = vscode.Uri.file(file);
      name = arg instanceof FlowNode ? arg.flow.name : arg.run.flow;
    } else if (arg && (arg.uri || arg.flow)) {
      uri = typeof arg.uri === 'string' ? vscode.Uri.parse(arg.uri) : arg.uri;
      name = arg.flow;
    }
    uri ??= vscode.window.activeTextEditor?.document.uri;
    if (!uri) { void vscode.window.showInformationMessage('Open a flow file first (a class that extends FlowSpec).'); return undefined; }
    let flows: FlowInfo[];
    try { flows = await this.index.flowsOf(uri); } catch (e) {
      void vscode.window.showErrorMessage(`FlowSpec: cannot read the flows of ${path.basename(uri.fsPath)}: ${(e as Error).message}`);
      return undefined;
    }
    if (name) {
      const flow = flows.find((f) => f.name === name);
      if (!flow) { void vscode.window.showErrorMessage(`No flow named ${name} in ${path.basename(uri.fsPath)}.`); return undefined; }
      return { uri, flow };
    }
    if (!flows.length) { void vscode.window.showInformationMessage(`${path.basename(uri.fsPath)} has no flow (a class that extends FlowSpec).`); return undefined; }
    if (flows.length === 1) return { uri, flow: flows[0] };
    const pick = await vscode.window.showQuickPick(flows.map((f) => ({ label: f.name, description: `${f.steps.length} steps`, flow: f })), { title: 'Which flow?' });
    return pick && { uri, flow: pick.flow };
  }
}

/** A TCP port nobody listens on now (for the inspector). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const a = srv.address(); srv.close(() => resolve(typeof a === 'object' && a ? a.port : 9229)); });
  });
}

function isRunArgs(arg: unknown): arg is RunArgs {
  return !!arg && typeof arg === 'object' && !(arg instanceof vscode.TreeItem);
}
function safe<T>(f: () => T): T | undefined { try { return f(); } catch { return undefined; } }
function safeAge(r: { createdAt: Date }): string { return safe(() => formatAge(r.createdAt)) ?? ''; }
