// Starting a project from the editor: *FlowSpec: New Project…* runs the bundled CLI's
// `flowspec init` in a folder the user picks and opens it (with its example flow); the walkthrough
// (package.json `contributes.walkthroughs`) is shown once, on the first activation.
//   flowspec.newProject { folder?, open? } → { folder, output } | undefined
// `folder` skips the folder picker and `open: false` leaves the window as it is (tests).
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cli } from './config';

export interface NewProjectArgs {
  folder?: string | vscode.Uri;
  open?: boolean;
}
export interface NewProjectResult {
  folder: string;
  output: string;
}

export const WALKTHROUGH_ID = 'flowspec.start';
const WALKTHROUGH_SHOWN = 'flowspec.walkthroughShown';
/** The example flow of the folder a New Project is opening: opened when the window has the folder. */
const OPEN_AFTER_INIT = 'flowspec.openAfterInit';

export function registerNewProject(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('flowspec.newProject', (args?: NewProjectArgs) => newProject(context, args ?? {}));
}

async function newProject(context: vscode.ExtensionContext, args: NewProjectArgs): Promise<NewProjectResult | undefined> {
  const folder = args.folder ? asUri(args.folder) : await pickFolder();
  if (!folder) return undefined;
  // From the parent folder, so the CLI's messages name `my-flows/package.json`, not a long absolute path.
  const parent = path.dirname(folder.fsPath);
  const parentExists = await stat(parent).then(
    () => true,
    () => false,
  );
  const inv = parentExists
    ? cli(context, ['init', path.basename(folder.fsPath)], parent)
    : cli(context, ['init', folder.fsPath], homedir());
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(inv.command, inv.args, { cwd: inv.cwd, env: inv.env }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
  if (code !== 0) {
    // The CLI's one line says which file is in the way.
    void vscode.window.showErrorMessage(
      `New FlowSpec project: ${stderr.trim().replace(/^flowspec: /, '') || `flowspec init failed (exit ${code})`}`,
    );
    return undefined;
  }
  const flow = createdFlow(folder.fsPath, stdout);
  if (args.open !== false && flow) await openProject(context, folder, flow);
  return { folder: folder.fsPath, output: stdout };
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'New FlowSpec Project',
    openLabel: 'Create Project Here',
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

/** Opens the example flow if the folder is already open; else opens the folder (a new window if one is open). */
async function openProject(context: vscode.ExtensionContext, folder: vscode.Uri, flow: string): Promise<void> {
  if (vscode.workspace.getWorkspaceFolder(folder)) {
    await vscode.window.showTextDocument(vscode.Uri.file(flow));
    return;
  }
  await context.globalState.update(OPEN_AFTER_INIT, flow);
  await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: !!vscode.workspace.workspaceFolders?.length });
}

/** On activation: the example flow of a project New Project just opened, and the walkthrough the first time. */
export async function greet(context: vscode.ExtensionContext): Promise<void> {
  const flow = context.globalState.get<string>(OPEN_AFTER_INIT);
  if (flow && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(flow))) {
    await context.globalState.update(OPEN_AFTER_INIT, undefined);
    await vscode.window.showTextDocument(vscode.Uri.file(flow)).then(undefined, () => undefined);
  }
  if (context.globalState.get(WALKTHROUGH_SHOWN)) return;
  await context.globalState.update(WALKTHROUGH_SHOWN, true);
  // VS Code's own switch for walkthroughs of new extensions.
  if (vscode.workspace.getConfiguration('workbench').get('welcomePage.walkthroughs.openOnInstall') === false) return;
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
}

const asUri = (f: string | vscode.Uri) => (typeof f === 'string' ? vscode.Uri.file(f) : f);

/** The example flow `flowspec init` made: its output lists each file it created, one per line. */
function createdFlow(folder: string, output: string): string | undefined {
  const file = /^\s+(\S+\.ts)$/m.exec(output)?.[1];
  return file ? path.join(folder, file) : undefined;
}
