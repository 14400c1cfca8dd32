// Where ▶ Run sends the tasks when Slurm is at hand: the place the user chose last in this
// workspace (asked once, the first time), so no run asks again; the other place is a CodeLens and
// an argument of its own (`flowspec.run { with: 'slurm' | 'local' }`), which becomes the new choice.
import * as vscode from 'vscode';
import type { RunWhere } from '../prompts';

const KEY = 'flowspec.runWhere';
const changed = new vscode.EventEmitter<void>();

/** Fires when the remembered place changes (the CodeLens names it). */
export const onDidChangeRunPlace = changed.event;

export function lastRunPlace(context: vscode.ExtensionContext): RunWhere | undefined {
  return context.workspaceState.get<RunWhere>(KEY);
}

export async function rememberRunPlace(context: vscode.ExtensionContext, where: RunWhere): Promise<void> {
  if (lastRunPlace(context) === where) return;
  await context.workspaceState.update(KEY, where);
  changed.fire();
}
