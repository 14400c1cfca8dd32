// The language server: wires TextDocuments events, LSP requests and config files changed on disk
// (configWatch.ts) to the analyses of documents (documentAnalyses.ts, validation.ts,
// paramsDocuments.ts) and the pure functions of analyzer/ and services/ (requests.ts). Every handler is timed, and a failing handler logs and answers empty
// (timing.ts). Analyses after edits run in turns (analyzer/analyze.ts `analysisTurns`): between
// turns newer edits come in, and an analysis they made stale stops there.
import { CodeActionKind, Connection, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyses, uriToPath } from './documentAnalyses';
import { flowsReadingConfigs } from './configWatch';
import { LastRunValues } from './lastRun';
import { ArtifactTypesWriter } from './artifactTypes';
import { mayContainFlow } from '../analyzer';
import { ParamsDocuments } from './paramsDocuments';
import { Requests, WillRunParams } from './requests';
import type { FlowsParams } from './services/flows';
import { HandlerTimer } from './timing';
import { Validation, ValidationDelays } from './validation';

export function startServer(connection: Connection, options: ValidationDelays = {}): void {
  const documents = new TextDocuments(TextDocument);
  const timer = new HandlerTimer(connection.console);
  const analyses = new DocumentAnalyses(documents, (m) => timer.log(m));
  const params = new ParamsDocuments(documents, analyses);
  const validation = new Validation(connection, documents, analyses, params, timer, options);
  const artifactTypes = new ArtifactTypesWriter((m) => timer.log(m));
  const requests = new Requests(documents, analyses, params, new LastRunValues(), artifactTypes);
  const typesChanged = (doc: TextDocument) => {
    if (mayContainFlow(doc.getText())) artifactTypes.changed(doc.uri, doc.getText());
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['.', "'", '"'] },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
    },
    serverInfo: { name: 'flowspec' },
  }));

  documents.onDidOpen((e) => {
    validation.opened(e.document.uri);
    typesChanged(e.document);
  });
  documents.onDidChangeContent((e) => {
    validation.changed(e.document.uri);
    typesChanged(e.document);
  });
  documents.onDidClose((e) => {
    validation.closed(e.document.uri);
    artifactTypes.closed(e.document.uri);
  });

  // A config file saved (or created, deleted): the open flows that read it are analysed again.
  connection.onDidChangeWatchedFiles(({ changes }) =>
    timer.timed('didChangeWatchedFiles', undefined, () => {
      for (const uri of flowsReadingConfigs(
        documents,
        analyses,
        changes.map((c) => uriToPath(c.uri)),
      )) {
        analyses.invalidate(uri);
        validation.changed(uri);
        artifactTypes.inputsChanged(uri);
      }
    }),
  );

  connection.onHover((p) => timer.timedAsync('hover', null, () => requests.hover(p)));
  connection.onDefinition((p) => timer.timed('definition', [], () => requests.definition(p)));
  connection.onReferences((p) => timer.timed('references', [], () => requests.references(p)));
  connection.onDocumentHighlight((p) => timer.timed('documentHighlight', [], () => requests.documentHighlights(p)));
  connection.onPrepareRename((p) => timer.timed('prepareRename', null, () => requests.prepareRename(p)));
  connection.onRenameRequest((p) => timer.timed('rename', null, () => requests.rename(p)));
  connection.onCompletion((p) => timer.timed('completion', [], () => requests.completion(p)));
  connection.onCodeAction((p) => timer.timed('codeAction', [], () => requests.codeActions(p)));
  connection.onDocumentSymbol((p) => timer.timed('documentSymbol', [], () => requests.documentSymbols(p)));
  connection.onRequest('flowspec/flows', (p: FlowsParams) => timer.timed('flowspec/flows', { flows: [] }, () => requests.flows(p)));
  connection.onRequest('flowspec/willRun', (p: WillRunParams) => timer.timed('flowspec/willRun', null, () => requests.willRun(p)));
  // Tests: run pending analyses now, the type-based pass included, and write pending artifact types; resolves after publishing.
  connection.onRequest('flowspec/flush', () =>
    timer.timedAsync('flowspec/flush', null, () =>
      validation
        .flush()
        .then(() => artifactTypes.flush())
        .then(() => null),
    ),
  );

  documents.listen(connection);
  connection.listen();
}
