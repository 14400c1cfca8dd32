// Where things are: the bundled CLI, the folder a flow runs in, the datastore setting.
import * as vscode from 'vscode';
import * as path from 'node:path';

export const SECTION = 'flowspec';

/** The folder a flow file runs in (its workspace folder, else the file's folder). */
export function workingFolder(file: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(file.fsPath);
}

/** The `flowspec.datastoreRoot` setting (ProjectFacts resolves it: client/projectFacts.ts). */
export function datastoreRootSetting(): string | undefined {
  return vscode.workspace.getConfiguration(SECTION).get<string>('datastoreRoot');
}

export interface CliInvocation {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The bundled CLI, run by the editor's own Node (Electron as Node): needs no node_modules in the
 * workspace and no global install. `root`: the datastore the command uses (ProjectFacts.datastoreRoot).
 */
export function cli(context: vscode.ExtensionContext, args: string[], cwd: string, root?: string): CliInvocation {
  const nodePath = vscode.workspace.getConfiguration(SECTION).get<string>('nodePath')?.trim();
  return {
    command: nodePath || process.execPath,
    args: [context.asAbsolutePath('dist/cli.js'), ...args],
    cwd,
    env: {
      ...process.env,
      ELECTRON_RUN_AS_NODE: '1',
      ...(root ? { FLOWSPEC_DATASTORE_ROOT: root } : {}),
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
