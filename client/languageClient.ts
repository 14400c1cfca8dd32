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
/** `{ uri, flow }`: the server writes the pre-run check's verdict of that flow (see RunHooks.willRun). */
export const WILL_RUN_REQUEST = 'flowspec/willRun';
/** Longest a run waits for the server's verdict (busy with a large file): the CLI checks the flow itself without it. */
const WILL_RUN_WAIT_MS = 1500;

/** Asks the server to write the verdict; resolves when it has, or gave up (the run goes on either way). */
export async function willRun(client: LanguageClient, file: vscode.Uri, flow: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, WILL_RUN_WAIT_MS)));
  const written = client.sendRequest(WILL_RUN_REQUEST, { uri: file.toString(), flow }).then(
    () => undefined,
    () => undefined,
  );
  await Promise.race([written, gaveUp]);
  clearTimeout(timer);
}

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
    // The server decides which files are flows; the client sends every TypeScript document (and YAML/JSON ones),
    // and the edits on disk of JSON and YAML files: a flow's config file saved refreshes the flow's diagnostics and types.
    synchronize: {
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.ts'), vscode.workspace.createFileSystemWatcher('**/*.{json,yaml,yml}')],
    },
  };
  return new LanguageClient('flowspec', 'FlowSpec Language Server', serverOptions, clientOptions);
}
