// Starts the FlowSpec language server (dist/server.js, bundled with the extension) over stdio.
// Everything the server offers — diagnostics, quick fixes, hover, completion, document symbols,
// definition, references, highlights, rename — is wired in by vscode-languageclient itself; the
// extension only adds the custom requests below.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import type { FlowDiagnostic, FlowModel, GraphEdge } from '../model/flowModel';

/** A flow as `flowspec/flows` returns it: the analyzer's model plus its graph edges and diagnostics. */
export type FlowInfo = FlowModel & { edges: GraphEdge[]; diagnostics: FlowDiagnostic[] };

export const FLOWS_REQUEST = 'flowspec/flows';
export const FLUSH_REQUEST = 'flowspec/flush';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'typescript' },
      { scheme: 'untitled', language: 'typescript' },
      // Params files (`run --params`): the server decides which YAML/JSON documents are ones
      // (a `# flowspec:` header, `$flow`, or a params*.yaml name next to a flow) and ignores the rest.
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
    ],
    outputChannel: vscode.window.createOutputChannel('FlowSpec Language Server', { log: true }),
    // Hover on an artifact links to its value in the latest run (`command:flowspec.openArtifact`): only that command runs from a hover.
    markdown: { isTrusted: { enabledCommands: ['flowspec.openArtifact'] } },
    // The server decides which files are flows; the client sends every TypeScript document (and YAML/JSON ones).
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.ts') },
  };
  return new LanguageClient('flowspec', 'FlowSpec Language Server', serverOptions, clientOptions);
}
