import * as vscode from 'vscode';
export function activate(context: vscode.ExtensionContext): void {
  for (const c of ['flowspec.run', 'flowspec.resume', 'flowspec.debug', 'flowspec.showGraph', 'flowspec.refreshRuns']) {
    context.subscriptions.push(vscode.commands.registerCommand(c, () => undefined));
  }
}
export function deactivate(): void {}
