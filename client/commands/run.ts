// ▶ Run, Debug and Save Parameters: each asks the flow's parameters (answers.ts) or takes them from
// the command's arguments; Run and Debug start the bundled CLI (runner.ts).
import * as vscode from 'vscode';
import * as path from 'node:path';
import { createServer } from 'node:net';
import { maxWorkersArgs, workingFolder } from '../config';
import { paramsFileFor, paramsFileText } from '../paramsFile';
import { promptWhere, RunWhere } from '../prompts';
import { vscodePromptUi } from '../promptUi';
import { expectedTaskCount } from '../runLog';
import type { RunResult } from '../runner';
import type { FlowNode, RunNode } from '../runs/nodes';
import { answers, ParameterArgs, runConfigs, runParameters } from './answers';
import type { CommandContext } from './context';
import { FlowArgs, isArgs, target, Target } from './targets';
import { lastRunPlace, rememberRunPlace } from './runPlace';

export interface RunArgs extends FlowArgs, ParameterArgs {
  maxWorkers?: number;
  tags?: string[];
  /** Where the tasks run (default: where ▶ Run ran last, with Slurm at hand). */
  with?: RunWhere;
}
export interface SaveParamsArgs extends RunArgs {
  confirm?: boolean;
}

export async function run(ctx: CommandContext, arg?: RunArgs | FlowNode | RunNode): Promise<RunResult | undefined> {
  const t = await target(ctx, arg);
  if (!t) return undefined;
  const given = isArgs<RunArgs>(arg) ? arg : undefined;
  const where = await whereToRun(ctx, t, given);
  if (!where) return undefined;
  const params = await runParameters(ctx, t, given);
  if (!params) return undefined;
  // Arguments given (a test, another extension): no prompt for config files either.
  const configs = given?.parameters || given?.refs ? [] : await runConfigs(ctx, t);
  if (!configs) {
    await params.cleanup();
    return undefined;
  }
  const workers = given?.maxWorkers ? ['--max-workers', String(given.maxWorkers)] : maxWorkersArgs();
  const tags = (given?.tags ?? []).flatMap((tag) => ['--tag', tag]);
  const onSlurm = where === 'slurm';
  return ctx.runner
    .start({
      file: t.uri,
      flow: t.flow.name,
      command: 'run',
      args: ['--flow', t.flow.name, ...params.args, ...configs, ...workers, ...tags, ...(onSlurm ? ['--with', 'slurm'] : [])],
      expectedTasks: expectedTaskCount(t.flow),
      title: `Running ${t.flow.name}${onSlurm ? ' on Slurm' : ''}`,
      notes: params.notes,
      onSlurm,
    })
    .finally(params.cleanup);
}

/**
 * Where the run's tasks go: as the arguments say (which becomes the place ▶ Run uses next), else
 * here without Slurm; with Slurm at hand, where the user chose last, asked only the first time.
 */
async function whereToRun(ctx: CommandContext, t: Target, arg?: RunArgs): Promise<RunWhere | undefined> {
  const slurm = (await ctx.store.facts.of(workingFolder(t.uri))).slurm;
  if (arg?.with) {
    if (slurm) await rememberRunPlace(ctx.extension, arg.with);
    return arg.with;
  }
  if (arg?.parameters || arg?.refs || !slurm) return 'local';
  const where = lastRunPlace(ctx.extension) ?? (await promptWhere(t.flow.name, vscodePromptUi));
  if (where) await rememberRunPlace(ctx.extension, where);
  return where;
}

/**
 * Runs the flow with `--inspect=PORT` (the CLI runs its tasks in one worker under the Node
 * inspector, holding the first task until a debugger is attached) and attaches VS Code's
 * JavaScript debugger to that port, with source maps to the flow's .ts file. The run's output
 * and progress are the same as a normal run's; ending the debug session stops the run.
 */
export async function debug(ctx: CommandContext, arg?: RunArgs | FlowNode): Promise<boolean> {
  const t = await target(ctx, arg);
  if (!t) return false;
  const params = await runParameters(ctx, t, isArgs<RunArgs>(arg) ? arg : undefined);
  if (!params) return false;
  const folder = vscode.workspace.getWorkspaceFolder(t.uri);
  const cwd = workingFolder(t.uri);
  const root = await ctx.store.facts.datastoreRoot(cwd);
  const port = await freePort();
  let cancel: (() => void) | undefined;
  let session: vscode.DebugSession | undefined;
  const running = ctx.runner
    .start({
      file: t.uri,
      flow: t.flow.name,
      command: 'run',
      args: ['--flow', t.flow.name, ...params.args, `--inspect=${port}`],
      expectedTasks: expectedTaskCount(t.flow),
      title: `Debugging ${t.flow.name}`,
      notes: params.notes,
      onStart: (c) => {
        cancel = c;
      },
    })
    .finally(params.cleanup);
  const name = `Debug ${t.flow.name}`;
  const config = attachConfig(ctx, name, port, root, cwd);
  const sub = vscode.debug.onDidStartDebugSession((s) => {
    if (s.configuration.name === name && s.configuration.port === port) session ??= s;
  });
  const ended = vscode.debug.onDidTerminateDebugSession((s) => {
    if (s === session) cancel?.();
  });
  void running.finally(() => {
    sub.dispose();
    ended.dispose();
    if (session) void vscode.debug.stopDebugging(session);
  });
  const started = await vscode.debug.startDebugging(folder, config);
  if (!started) cancel?.();
  return started;
}

/**
 * VS Code's JavaScript debugger attached to a flowspec process under the inspector (`run --inspect`,
 * a spin under `--inspect-brk`), with source maps to the flow's .ts files.
 */
export function attachConfig(ctx: CommandContext, name: string, port: number, root: string, cwd: string): vscode.DebugConfiguration {
  // Code packages: the datastore's, and the spins' (a spin of edited code bundles it there).
  const packages = [`${root}/.code`, `${root}/.spins/.code`];
  return {
    type: 'node',
    request: 'attach',
    name,
    address: '127.0.0.1',
    port,
    // The process opens its port a moment after it starts: keep trying for a while.
    timeout: 30000,
    continueOnAttach: true,
    sourceMaps: true,
    // The flow's code package (bundled with a source map to the .ts file) lives in the datastore,
    // and each task loads it afresh and runs it at once: have the debugger map every script
    // before it runs, so breakpoints in the .ts file bind in time.
    pauseForSourceMap: true,
    outFiles: packages.map((p) => `${p}/**/*.js`),
    runtimeSourcemapPausePatterns: packages.map((p) => `${p}/*/flow.js`),
    resolveSourceMapLocations: [`${cwd}/**`, `${root}/**`, '!**/node_modules/**'],
    skipFiles: ['<node_internals>/**', `${ctx.extension.asAbsolutePath('dist')}/**`],
  };
}

/**
 * Asks the parameters like Run (or takes them from the arguments) and writes them as a params
 * file next to the flow, `<flow-file-base>.params.yaml`, with a header naming the flow; opens it.
 * An existing file is replaced after a modal question (`confirm: false` skips it).
 */
export async function saveParams(ctx: CommandContext, arg?: SaveParamsArgs | FlowNode): Promise<string | undefined> {
  const t = await target(ctx, arg);
  if (!t) return undefined;
  const given = isArgs<SaveParamsArgs>(arg) ? arg : undefined;
  const values = await answers(ctx, t, given, { title: `Save ${t.flow.name} params`, accept: '$(save) Save these values' });
  if (!values) return undefined;
  const file = paramsFileFor(t.uri.fsPath);
  let text: string;
  try {
    text = paramsFileText(t.uri.fsPath, t.flow.name, t.flow.parameters, values);
  } catch (e) {
    void vscode.window.showErrorMessage(`${t.flow.name}: ${(e as Error).message}`);
    return undefined;
  }
  const uri = vscode.Uri.file(file);
  const exists = await vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
  if (exists && given?.confirm !== false) {
    const ok = await vscode.window.showWarningMessage(
      `${path.basename(file)} exists. Replace it with these values?`,
      { modal: true },
      'Replace',
    );
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

/** A TCP port nobody listens on now (for the inspector). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 9229));
    });
  });
}
