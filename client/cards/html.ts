// The card webview's page: the card's data as JSON and the extension's own card viewer
// (dist/cards/viewer.js, the same one stored cards use), under a strict Content-Security-Policy:
// only our nonce'd script, images from data: URLs, nothing remote. Styles may be inline because
// the viewer and Vega-Embed add <style> elements; the theme comes from VS Code's CSS variables.
import type * as vscode from 'vscode';
import type { CardData } from '../../runtime/cards/data';
import { cardDataScript } from '../../runtime/cards/html';
import { webviewPage } from '../webviewPage';

export function cardWebviewHtml(webview: vscode.Webview, viewerUri: vscode.Uri, card: CardData): string {
  return webviewPage({
    webview,
    title: 'Card',
    styleSources: [webview.cspSource, "'unsafe-inline'"],
    imageSources: ['data:', 'blob:'],
    body: `<main id="flowspec-card"></main>
${cardDataScript(card)}`,
    scripts: [viewerUri],
  });
}
