// What every command works with: the parts of the extension activate() wires together, passed as
// one object instead of a long constructor.
import type * as vscode from 'vscode';
import type { FlowIndex } from '../flowIndex';
import type { GraphPanels } from '../graph/panel';
import type { RunManager } from '../runner';
import type { ArtifactDocuments } from '../runs/documents';
import type { RunsStore } from '../runs/store';
import type { RunsTreeProvider } from '../runs/tree';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  /** The flows of each document (from the language server). */
  index: FlowIndex;
  runner: RunManager;
  /** The datastores and their reader. */
  store: RunsStore;
  tree: RunsTreeProvider;
  graphs: GraphPanels;
  artifacts: ArtifactDocuments;
}
