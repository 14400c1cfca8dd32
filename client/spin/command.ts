// `Spin` and `Debug Spin` on a step: saves the file, runs `flowspec spin FILE STEP` with the bundled
// CLI (its log in the FlowSpec Runs output), then shows the spun task's artifacts beside the
// original's in the Spin view (read by the datastore reader) and marks the step on the graph.
// Spin hands the arguments to the standby spin process started after the last spin (standby.ts);
// Debug Spin runs the CLI under the inspector, held until VS Code's debugger is attached. How long
// each part took is in the FlowSpec log and the result.
//   flowspec.spin      { uri, flow, step, runId?, index? }  → SpinResult
//   flowspec.debugSpin { uri, flow, step, runId?, index? }  → SpinResult
import * as vscode from 'vscode';
import * as path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { cli, workingFolder } from '../config';
import type { CommandContext } from '../commands/context';
import { attachConfig, freePort } from '../commands/run';
import type { SpinSnapshot } from '../reader/protocol';
import { SpinTreeProvider } from './view';
import { SpinStandby, startSpin } from './standby';
import { log } from '../log';
import { isS3Root } from '../../runtime/datastore/s3Config';

export interface SpinArgs {
  uri: string | vscode.Uri;
  flow: string;
  step: string;
  runId?: string;
  /** A foreach item: its index, or every index of a nested foreach, outermost first. */
  index?: number | number[];
}

export interface SpinResult {
  status: 'success' | 'failed' | 'error';
  spin?: SpinSnapshot;
  /** The CLI's one line when it refused the spin (exit 2). */
  error?: string;
  /** From the command to the artifacts shown, in milliseconds. */
  ms: number;
  /** When each part ended, in milliseconds from the command: the file saved, the CLI's spin, its result read. */
  phases: { saved: number; spun: number; read: number };
  /** When the spin ran in the process kept ready since the last spin: how long before it had been started, in ms. */
  keptFor?: number;
}

export interface SpinUi {
  tree: SpinTreeProvider;
  view: vscode.TreeView<unknown>;
  standby: SpinStandby;
  /** Whether the Spin view is shown (it is hidden until the first spin). */
  shown: boolean;
}

export async function spinStep(
  ctx: CommandContext,
  ui: SpinUi,
  arg: SpinArgs | undefined,
  debug: boolean,
): Promise<SpinResult | undefined> {
  const started = Date.now();
  const since = () => Date.now() - started;
  const t = arg ?? (await stepAtCursor(ctx));
  if (!t) {
    void vscode.window.showInformationMessage('Put the cursor in a step of a flow to spin it.');
    return undefined;
  }
  const uri = typeof t.uri === 'string' ? vscode.Uri.parse(t.uri) : t.uri;
  const cwd = workingFolder(uri);
  const root = await ctx.store.facts.datastoreRoot(cwd);
  // What the kept process read when it started: a local datastore is its root (in its environment);
  // an s3:// one's settings may come from flowspec.config.json too, which the facts follow.
  const epoch = isS3Root(root) ? ctx.store.facts.generation : 0;
  const output = ctx.runner.output;
  // A spin runs in the standby process kept since the last spin (started now for the first), which
  // gets its arguments once the file is saved; Debug Spin starts the CLI under the inspector then.
  const standby = debug ? undefined : cli(ctx.extension, ['__spin-standby'], cwd, root);
  const taken = standby && ui.standby.take(standby, epoch);
  const ready = taken && watch(taken.child, output);
  // The CLI spins the file on disk: what the editor shows is what runs.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const saved = since();
  const rel = path.relative(cwd, uri.fsPath) || uri.fsPath;
  const idFolder = await mkdtemp(path.join(tmpdir(), 'flowspec-spin-id-'));
  const idFile = path.join(idFolder, 'id');
  const args = [rel, t.step, '--flow', t.flow, '--run-id-file', idFile];
  if (t.runId) args.push('--run-id', t.runId);
  if (t.index !== undefined) args.push('--index', [t.index].flat().join(','));
  output.appendLine('');
  output.appendLine(`▶ flowspec spin ${args.filter((a) => a !== '--run-id-file' && a !== idFile).join(' ')}   (in ${cwd})`);
  output.show(true);

  let spinning: Spinning;
  if (ready) {
    startSpin(ready.child, args);
    spinning = ready;
  } else {
    const inv = cli(ctx.extension, ['spin', ...args], cwd, root);
    const port = await freePort();
    inv.args.unshift(`--inspect-brk=${port}`);
    spinning = watch(spawn(inv.command, inv.args, { cwd: inv.cwd, env: inv.env, stdio: ['ignore', 'pipe', 'pipe'] }), output);
    void debugUntil(ctx, `Debug spin ${t.flow}.${t.step}`, port, root, cwd, spinning.exited, () => spinning.child.kill('SIGTERM'));
  }
  const code = await spinning.exited;
  const spun = since();
  // No file: the CLI refused the spin before it made one.
  const spinId = (await readFile(idFile, 'utf8').catch(() => '')).trim() || undefined;
  await rm(idFolder, { recursive: true, force: true });
  const spin = spinId ? await ctx.store.reader.request('spin', root, t.flow, spinId) : undefined;
  const phases = { saved, spun, read: since() };
  const keptFor = taken?.keptFor;
  // The next spin's process starts once this one is shown, not while it is.
  const next = () => standby && ui.standby.prepare(standby, epoch);
  if (!spin) {
    const error = spinning.lastError() || `flowspec spin exited with code ${code}`;
    output.appendLine(`✘ ${t.flow}.${t.step}: ${error}`);
    void vscode.window.showErrorMessage(`Could not spin ${t.flow}.${t.step}: ${error}`, 'Show log').then((a) => {
      if (a) output.show();
    });
    next();
    return { status: 'error', error, ms: since(), phases, keptFor };
  }
  // The view is hidden until the first spin, so the Runs view keeps the side bar until then.
  if (!ui.shown) await vscode.commands.executeCommand('setContext', 'flowspec.hasSpins', true);
  ui.shown = true;
  const node = ui.tree.add(spin);
  const changed = spin.artifacts.filter((a) => a.change !== 'same').length;
  ctx.graphs.markSpin(uri, t.flow, { step: spin.step, spinId: spin.spinId, successful: spin.successful, changed });
  await ui.view.reveal(node, { expand: true, focus: false, select: false });
  const ms = since();
  next();
  output.appendLine(
    `${spin.successful ? '✔' : '✘'} ${spin.pathspec}: ${spin.successful ? `${changed} artifact(s) changed` : 'failed'} (${ms} ms)`,
  );
  log().info(
    `spin ${spin.pathspec}: shown after ${ms} ms (saved ${phases.saved}, spun ${phases.spun}, read ${phases.read}; ${keptFor === undefined ? 'in a process started now' : `in the process kept ready, started ${keptFor} ms before`})`,
  );
  if (!spin.successful)
    void vscode.window.showErrorMessage(`The spin of ${t.flow}.${t.step} failed: ${spin.exception?.type}: ${spin.exception?.message}`);
  return { status: spin.successful ? 'success' : 'failed', spin, ms, phases, keptFor };
}

/** A spin's CLI process: its output goes to the FlowSpec Runs output as it comes, its error line is kept. */
interface Spinning {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The CLI's last `flowspec: ...` line, or why the process could not start. */
  lastError(): string;
}

/** Follows a spin process from the moment it exists, so that nothing it says or does is missed. */
function watch(child: ChildProcess, output: vscode.OutputChannel): Spinning {
  let lastError = '';
  createInterface({ input: child.stdout! }).on('line', (l) => output.appendLine(l));
  createInterface({ input: child.stderr! }).on('line', (l) => {
    output.appendLine(l);
    if (l.startsWith('flowspec: ')) lastError = l.slice('flowspec: '.length);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      lastError = e.message;
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  return { child, exited, lastError: () => lastError };
}

/** The step around the cursor of the active editor. */
async function stepAtCursor(ctx: CommandContext): Promise<SpinArgs | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const line = editor.selection.active.line;
  const flows = await ctx.index.flows(editor.document).catch(() => []);
  for (const flow of flows) {
    const step = flow.steps.find((s) => s.fullRange && s.fullRange.start.line <= line && line <= s.fullRange.end.line);
    if (step) return { uri: editor.document.uri, flow: flow.name, step: step.name };
  }
  return undefined;
}

/** Attaches the debugger to the spin's inspector port; ending the session stops the spin, and the spin's end the session. */
async function debugUntil(
  ctx: CommandContext,
  name: string,
  port: number,
  root: string,
  cwd: string,
  exited: Promise<unknown>,
  stop: () => void,
): Promise<void> {
  let session: vscode.DebugSession | undefined;
  const started = vscode.debug.onDidStartDebugSession((s) => {
    if (s.configuration.name === name && s.configuration.port === port) session ??= s;
  });
  const ended = vscode.debug.onDidTerminateDebugSession((s) => {
    if (s === session) stop();
  });
  void exited.finally(() => {
    started.dispose();
    ended.dispose();
    if (session) void vscode.debug.stopDebugging(session);
  });
  const folder = vscode.workspace.workspaceFolders?.find((f) => cwd.startsWith(f.uri.fsPath));
  if (!(await vscode.debug.startDebugging(folder, attachConfig(ctx, name, port, root, cwd)))) stop();
}

/** The Spin view and the two commands; `tree` is handed to tests through the extension's API. */
export function registerSpin(ctx: CommandContext): { tree: SpinTreeProvider; disposables: vscode.Disposable[] } {
  const tree = new SpinTreeProvider();
  const view = vscode.window.createTreeView<unknown>('flowspecSpins', { treeDataProvider: tree as vscode.TreeDataProvider<unknown> });
  const ui: SpinUi = { tree, view, standby: new SpinStandby(), shown: false };
  return {
    tree,
    disposables: [
      tree,
      view,
      ui.standby,
      vscode.commands.registerCommand('flowspec.spin', (arg?: SpinArgs) => spinStep(ctx, ui, arg, false)),
      vscode.commands.registerCommand('flowspec.debugSpin', (arg?: SpinArgs) => spinStep(ctx, ui, arg, true)),
    ],
  };
}
