// Read-only documents for an artifact's full value and a task's logs.
import * as vscode from 'vscode';
import { Task } from '../../runtime/client';
import { openDatastore } from '../../runtime/datastore';
import { formatArtifactValue } from '../artifactFormat';
import { ARTIFACT_SCHEME, LOGS_SCHEME, parseDocUri } from './uris';

function taskOf(root: string, parts: string[]): Task {
  const [flow, runId, step, taskId] = parts;
  if (!flow || !runId || !step || !taskId) throw new Error(`not a task: ${parts.join('/')}`);
  return new Task(openDatastore(root), flow, runId, step, taskId);
}

export class ArtifactDocuments implements vscode.TextDocumentContentProvider {
  /** Which documents are JSON (the opener sets the language). */
  readonly languages = new Map<string, 'json' | 'plaintext'>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    const { root, parts } = parseDocUri(uri);
    const name = parts[4];
    try {
      const task = taskOf(root, parts);
      const artifact = task.artifacts[name];
      if (!artifact) return `// ${parts.join('/')}: no such artifact`;
      const { text, language } = formatArtifactValue(artifact.value);
      this.languages.set(uri.toString(), language);
      return text;
    } catch (e) {
      return `// cannot load ${parts.join('/')}: ${(e as Error).message}`;
    }
  }
}

export class TaskLogDocuments implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const { root, parts } = parseDocUri(uri);
    try {
      const task = taskOf(root, parts);
      const out: string[] = [`# ${task.pathspec}`];
      const exc = task.exception;
      const origin = task.origin;
      if (origin) out.push(`# cloned by resume from ${origin.pathspec}`);
      out.push('', '## stdout', task.stdout.trimEnd() || '(empty)', '', '## stderr', task.stderr.trimEnd() || '(empty)');
      if (exc) out.push('', '## exception', exc.stack ?? `${exc.type}: ${exc.message}`);
      return out.join('\n') + '\n';
    } catch (e) {
      return `cannot load the logs of ${parts.join('/')}: ${(e as Error).message}\n`;
    }
  }
}

export const SCHEMES = { artifact: ARTIFACT_SCHEME, logs: LOGS_SCHEME };
