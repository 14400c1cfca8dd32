// The card commands:
//   flowspec.openCard           CardNode | CardRef → { title, status, components } of the card shown
//   flowspec.openCardInBrowser  CardNode | CardRef → the path of the page handed to the browser
import * as vscode from 'vscode';
import type { DatastoreReader } from '../reader/proxy';
import { CardPanels, CardRef } from './panel';

export function registerCardCommands(panels: CardPanels, reader: DatastoreReader): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('flowspec.openCard', async (ref?: CardRef) => {
      if (!ref) return undefined;
      const panel = await panels.open(refOf(ref));
      if (!panel) {
        void vscode.window.showWarningMessage(`FlowSpec: ${ref.pathspec} has no card ${ref.index}.`);
        return undefined;
      }
      return { title: panel.data.title, status: panel.data.status, components: panel.data.components.length };
    }),
    vscode.commands.registerCommand('flowspec.openCardInBrowser', async (ref?: CardRef) => {
      // A local datastore's page opens in place; others get a self-contained copy (the reader writes it).
      const file = ref && (await reader.request('cardPage', refOf(ref)));
      if (!file) return undefined;
      await vscode.env.openExternal(vscode.Uri.file(file));
      return file;
    }),
  ];
}

/** A tree node carries its CardRef fields; commands may also be given a plain CardRef. */
function refOf(ref: CardRef): CardRef {
  return { root: ref.root, pathspec: ref.pathspec, index: ref.index };
}
