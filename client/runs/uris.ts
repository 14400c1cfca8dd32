// URIs of the read-only documents the Runs view opens: an artifact's value and a task's logs.
//   flowspec-artifact:/<Flow>/<run>/<step>/<task>/<name>.json?root=<datastore>
//   flowspec-logs:/<Flow>/<run>/<step>/<task>.log?root=<datastore>
import * as vscode from 'vscode';

export const ARTIFACT_SCHEME = 'flowspec-artifact';
export const LOGS_SCHEME = 'flowspec-logs';

export function artifactUri(root: string, taskPathspec: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: ARTIFACT_SCHEME, path: `/${taskPathspec}/${name}`, query: new URLSearchParams({ root }).toString() });
}

export function taskLogUri(root: string, taskPathspec: string): vscode.Uri {
  return vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/${taskPathspec}.log`, query: new URLSearchParams({ root }).toString() });
}

export function parseDocUri(uri: vscode.Uri): { root: string; parts: string[] } {
  const root = new URLSearchParams(uri.query).get('root') ?? '';
  return {
    root,
    parts: uri.path
      .replace(/^\//, '')
      .replace(/\.log$/, '')
      .split('/'),
  };
}
