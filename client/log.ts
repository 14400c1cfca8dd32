// The extension's own log ("FlowSpec" in the Output panel, with levels): what it ran, what it
// watched, how long requests took. Created on first use.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('FlowSpec', { log: true });
  return channel;
}
