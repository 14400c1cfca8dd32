// Where things are: the bundled CLI, the folder a flow runs in, the datastore it writes to.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { resolveDatastoreRoot } from './datastoreRoot';

export const SECTION = 'flowspec';

/** The folder a flow file runs in (its workspace folder, else the file's folder). */
export function workingFolder(file: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(file.fsPath);
}

/**
 * The datastore a run in `folder` writes to: the `flowspec.datastoreRoot` setting (relative to the
 * folder), else what the CLI uses in that folder (see datastoreRoot.ts).
 */
export function datastoreRoot(folder: string): string {
  return resolveDatastoreRoot(folder, vscode.workspace.getConfiguration(SECTION).get<string>('datastoreRoot'));
}

/** Every datastore the Runs view shows: one per workspace folder (deduplicated). */
export function allDatastoreRoots(): string[] {
  return [...new Set((vscode.workspace.workspaceFolders ?? []).map((f) => datastoreRoot(f.uri.fsPath)))];
}

export interface CliInvocation {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The bundled CLI, run by the editor's own Node (Electron as Node): needs no node_modules in the
 * workspace and no global install.
 */
export function cli(context: vscode.ExtensionContext, args: string[], cwd: string): CliInvocation {
  const nodePath = vscode.workspace.getConfiguration(SECTION).get<string>('nodePath')?.trim();
  return {
    command: nodePath || process.execPath,
    args: [context.asAbsolutePath('dist/cli.js'), ...args],
    cwd,
    env: {
      ...process.env,
      ELECTRON_RUN_AS_NODE: '1',
      FLOWSPEC_DATASTORE_ROOT: datastoreRoot(cwd),
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    },
  };
}

/** `flowspec.maxWorkers` as CLI arguments. */
export function maxWorkersArgs(): string[] {
  const n = vscode.workspace.getConfiguration(SECTION).get<number | null>('maxWorkers');
  return typeof n === 'number' && n > 0 ? ['--max-workers', String(n)] : [];
}
