// FlowSpec for TypeScript — the VS Code extension. Wires the parts together:
//   language client (dist/server.js) → FlowIndex (flowspec/flows) → CodeLens, graph panels, commands
//   RunsStore (datastore reader thread + file watcher, or polling for s3://) → Runs view, graph step colours, run prompts
//   CardPanels (card webviews, live while a task runs) ← the Runs view's cards, the graph's card badges
//   RunManager (bundled CLI) → output channel, progress, failure actions
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FlowCodeLensProvider } from './codeLens';
import { workingFolder } from './config';
import { lastRunPlace, onDidChangeRunPlace } from './commands/runPlace';
import { CommandContext, registerCommands, resume, showFailedTask } from './commands';
import { FlowIndex } from './flowIndex';
import { CardPanels } from './cards/panel';
import { registerCardCommands } from './cards/commands';
import { GraphPanels } from './graph/panel';
import { createLanguageClient, willRun } from './languageClient';
import { greet, registerNewProject } from './newProject';
import { RunManager } from './runner';
import { ArtifactDocuments, SCHEMES, TaskLogDocuments } from './runs/documents';
import { RunsStore } from './runs/store';
import { RunsTreeProvider } from './runs/tree';
import { registerSpin } from './spin/command';
import type { SpinTreeProvider } from './spin/view';
import type { RunWhere } from './prompts';

let client: LanguageClient | undefined;

/** What activate() returns: handles for tests and other extensions. */
export interface FlowSpecApi {
  client: LanguageClient;
  index: FlowIndex;
  store: RunsStore;
  graphs: GraphPanels;
  runner: RunManager;
  tree: RunsTreeProvider;
  cards: CardPanels;
  spins: SpinTreeProvider;
  /** Where ▶ Run runs when Slurm is at hand (undefined until the user chose). */
  runPlace(): RunWhere | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<FlowSpecApi> {
  const languageClient = createLanguageClient(context);
  client = languageClient;
  const index = new FlowIndex(client);
  const store = new RunsStore();
  const tree = new RunsTreeProvider(store);
  const graphs = new GraphPanels(context, index, store);
  const artifacts = new ArtifactDocuments(store.reader);
  const cards = new CardPanels(context, store.reader, store.onDidChange);
  const runner = new RunManager(
    context,
    {
      willRun: (file, flow) => willRun(languageClient, file, flow),
      onRunEvent: (root) => {
        void store.addRoot(root);
        store.changed();
      },
      resume: (file, flow, runId) => resume(commands, { uri: file, flow, originRunId: runId }),
      showFailedTask,
    },
    store.facts,
  );
  const commands: CommandContext = { extension: context, index, runner, store, tree, graphs, artifacts };
  const spin = registerSpin(commands);

  const view = vscode.window.createTreeView('flowspecRuns', { treeDataProvider: tree, showCollapseAll: true });
  // s3:// datastores cannot be watched: polled while the view is visible.
  store.setVisible(view.visible);
  context.subscriptions.push(view.onDidChangeVisibility((e) => store.setVisible(e.visible)));
  context.subscriptions.push(
    index,
    store,
    tree,
    graphs,
    runner,
    view,
    cards,
    ...registerCardCommands(cards, store.reader),
    vscode.languages.registerCodeLensProvider(
      [
        { language: 'typescript', scheme: 'file' },
        { language: 'typescript', scheme: 'untitled' },
      ],
      new FlowCodeLensProvider(
        index,
        async (uri) => ({ slurm: (await store.facts.of(workingFolder(uri))).slurm, last: lastRunPlace(context) }),
        onDidChangeRunPlace,
      ),
    ),
    vscode.workspace.registerTextDocumentContentProvider(SCHEMES.artifact, artifacts),
    vscode.workspace.registerTextDocumentContentProvider(SCHEMES.logs, new TaskLogDocuments(store.reader)),
    ...registerCommands(commands),
    ...spin.disposables,
    registerNewProject(context),
  );
  // `flowspec.isFlowFile` shows the graph button in the editor title of flow files.
  const updateContext = async () => {
    const doc = vscode.window.activeTextEditor?.document;
    const flows = doc ? await index.flows(doc).catch(() => []) : [];
    void vscode.commands.executeCommand('setContext', 'flowspec.isFlowFile', flows.length > 0);
  };
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => void updateContext()),
    index.onDidChange((uri) => {
      if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) void updateContext();
    }),
  );
  void updateContext();
  void greet(context);
  // Starting the server must not block activation (commands and the Runs view work without it).
  client.start().catch((e: Error) => void vscode.window.showErrorMessage(`FlowSpec language server failed to start: ${e?.message ?? e}`));
  return { client, index, store, graphs, runner, tree, cards, spins: spin.tree, runPlace: () => lastRunPlace(context) };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
