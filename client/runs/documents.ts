// Read-only documents for an artifact's full value and a task's logs, read by the datastore reader.
import * as vscode from 'vscode';
import type { DatastoreReader } from '../reader/proxy';
import { ARTIFACT_SCHEME, LOGS_SCHEME, parseDocUri } from './uris';

export class ArtifactDocuments implements vscode.TextDocumentContentProvider {
  /** Which documents are JSON (the opener sets the language). */
  readonly languages = new Map<string, 'json' | 'plaintext'>();

  constructor(private readonly reader: DatastoreReader) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { root, parts } = parseDocUri(uri);
    const name = parts[4];
    try {
      const artifact = await this.reader.request('artifactText', root, parts.slice(0, 4).join('/'), name);
      if (!artifact) return `// ${parts.join('/')}: no such artifact`;
      this.languages.set(uri.toString(), artifact.language);
      return artifact.text;
    } catch (e) {
      return `// cannot load ${parts.join('/')}: ${(e as Error).message}`;
    }
  }
}

export class TaskLogDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly reader: DatastoreReader) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { root, parts } = parseDocUri(uri);
    try {
      const task = await this.reader.request('taskLogs', root, parts.join('/'));
      const out: string[] = [`# ${task.pathspec}`];
      if (task.origin) out.push(`# cloned by resume from ${task.origin}`);
      out.push('', '## stdout', task.stdout.trimEnd() || '(empty)', '', '## stderr', task.stderr.trimEnd() || '(empty)');
      if (task.exception) out.push('', '## exception', task.exception.stack ?? `${task.exception.type}: ${task.exception.message}`);
      return out.join('\n') + '\n';
    } catch (e) {
      return `cannot load the logs of ${parts.join('/')}: ${(e as Error).message}\n`;
    }
  }
}

export const SCHEMES = { artifact: ARTIFACT_SCHEME, logs: LOGS_SCHEME };
