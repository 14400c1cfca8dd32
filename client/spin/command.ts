// `Spin` and `Debug Spin` on a step: saves the file, runs `flowspec spin FILE STEP` with the bundled
// CLI (its log in the FlowSpec Runs output), then shows the spun task's artifacts beside the
// original's in the Spin view (read by the datastore reader) and marks the step on the graph.
// Debug Spin runs the CLI under the inspector, held until VS Code's debugger is attached.
//   flowspec.spin      { uri, flow, step, runId?, index? }  → SpinResult
//   flowspec.debugSpin { uri, flow, step, runId?, index? }  → SpinResult
import * as vscode from 'vscode';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { cli, workingFolder } from '../config';
import type { CommandContext } from '../commands/context';
import { attachConfig, freePort } from '../commands/run';
import type { SpinSnapshot } from '../reader/protocol';
import { SpinTreeProvider } from './view';

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
}

export interface SpinUi {
  tree: SpinTreeProvider;
  view: vscode.TreeView<unknown>;
}

export async function spinStep(
  ctx: CommandContext,
  ui: SpinUi,
  arg: SpinArgs | undefined,
  debug: boolean,
): Promise<SpinResult | undefined> {
  const started = Date.now();
  const t = arg ?? (await stepAtCursor(ctx));
  if (!t) {
    void vscode.window.showInformationMessage('Put the cursor in a step of a flow to spin it.');
    return undefined;
  }
  const uri = typeof t.uri === 'string' ? vscode.Uri.parse(t.uri) : t.uri;
  // The CLI spins the file on disk: what the editor shows is what runs.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const cwd = workingFolder(uri);
  const root = await ctx.store.facts.datastoreRoot(cwd);
  const rel = path.relative(cwd, uri.fsPath) || uri.fsPath;
  const idFolder = await mkdtemp(path.join(tmpdir(), 'flowspec-spin-id-'));
  const idFile = path.join(idFolder, 'id');
  const args = ['spin', rel, t.step, '--flow', t.flow, '--run-id-file', idFile];
  if (t.runId) args.push('--run-id', t.runId);
  if (t.index !== undefined) args.push('--index', [t.index].flat().join(','));
  const inv = cli(ctx.extension, args, cwd, root);
  const port = debug ? await freePort() : undefined;
  if (port) inv.args.unshift(`--inspect-brk=${port}`);
  const output = ctx.runner.output;
  output.appendLine('');
  output.appendLine(`▶ flowspec ${args.slice(0, -2).join(' ')}   (in ${cwd})`);
  output.show(true);

  const child = spawn(inv.command, inv.args, { cwd: inv.cwd, env: inv.env, stdio: ['ignore', 'pipe', 'pipe'] });
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
  if (port) void debugUntil(ctx, `Debug spin ${t.flow}.${t.step}`, port, root, cwd, exited, () => child.kill('SIGTERM'));

  const code = await exited;
  // No file: the CLI refused the spin before it made one.
  const spinId = (await readFile(idFile, 'utf8').catch(() => '')).trim() || undefined;
  await rm(idFolder, { recursive: true, force: true });
  const spin = spinId ? await ctx.store.reader.request('spin', root, t.flow, spinId) : undefined;
  if (!spin) {
    const error = lastError || `flowspec spin exited with code ${code}`;
    output.appendLine(`✘ ${t.flow}.${t.step}: ${error}`);
    void vscode.window.showErrorMessage(`Could not spin ${t.flow}.${t.step}: ${error}`, 'Show log').then((a) => {
      if (a) output.show();
    });
    return { status: 'error', error, ms: Date.now() - started };
  }
  // The view is hidden until the first spin, so the Runs view keeps the side bar until then.
  await vscode.commands.executeCommand('setContext', 'flowspec.hasSpins', true);
  const node = ui.tree.add(spin);
  const changed = spin.artifacts.filter((a) => a.change !== 'same').length;
  ctx.graphs.markSpin(uri, t.flow, { step: spin.step, spinId: spin.spinId, successful: spin.successful, changed });
  await ui.view.reveal(node, { expand: true, focus: false, select: false });
  const ms = Date.now() - started;
  output.appendLine(
    `${spin.successful ? '✔' : '✘'} ${spin.pathspec}: ${spin.successful ? `${changed} artifact(s) changed` : 'failed'} (${ms} ms)`,
  );
  if (!spin.successful)
    void vscode.window.showErrorMessage(`The spin of ${t.flow}.${t.step} failed: ${spin.exception?.type}: ${spin.exception?.message}`);
  return { status: spin.successful ? 'success' : 'failed', spin, ms };
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
  const ui = { tree, view };
  return {
    tree,
    disposables: [
      tree,
      view,
      vscode.commands.registerCommand('flowspec.spin', (arg?: SpinArgs) => spinStep(ctx, ui, arg, false)),
      vscode.commands.registerCommand('flowspec.debugSpin', (arg?: SpinArgs) => spinStep(ctx, ui, arg, true)),
    ],
  };
}
