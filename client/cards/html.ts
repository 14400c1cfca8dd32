// The card webview's page: the card's data as JSON and the extension's own card viewer
// (dist/cards/viewer.js, the same one stored cards use), under a strict Content-Security-Policy:
// only our nonce'd script, images from data: URLs, nothing remote. Styles may be inline because
// the viewer and Vega-Embed add <style> elements; the theme comes from VS Code's CSS variables.
import type * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { CardData } from '../../runtime/cards/data';
import { jsonForScript } from '../../runtime/cards/html';

export function cardWebviewHtml(webview: vscode.Webview, viewerUri: vscode.Uri, card: CardData): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    'img-src data: blob:',
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Card</title>
</head>
<body>
<main id="flowspec-card"></main>
<script type="application/json" id="flowspec-card-data">${jsonForScript(card)}</script>
<script nonce="${nonce}" src="${viewerUri}"></script>
</body>
</html>`;
}
