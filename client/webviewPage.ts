// The page frame of the extension's webviews (the flow graph, a card): a fresh nonce, a strict
// Content-Security-Policy, the <html>/<head> skeleton and the nonce'd tags. The policy starts
// from `default-src 'none'`: scripts only with the nonce, fonts only from the extension, and
// styles and images only from the sources a page names. (The scripts that run inside a webview
// live in client/webview/; this module runs on the extension host.)
import type * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export interface WebviewPage {
  webview: vscode.Webview;
  title: string;
  /** CSS for one nonce'd <style> in the head; the nonce is then allowed in `style-src`. */
  styles?: string;
  /** More `style-src` sources (e.g. `'unsafe-inline'` for a script that adds <style> elements). */
  styleSources?: string[];
  /** `img-src` sources; none: no images. */
  imageSources?: string[];
  /** The body's markup, before the scripts. */
  body: string;
  /** Scripts loaded (nonce'd) at the end of the body, in order. */
  scripts: vscode.Uri[];
}

export function webviewPage(page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const style = page.styles === undefined ? '' : `<style nonce="${nonce}">${page.styles}</style>\n`;
  const scripts = page.scripts.map((src) => `<script nonce="${nonce}" src="${src}"></script>\n`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(page, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${page.title}</title>
${style}</head>
<body>
${page.body}
${scripts}</body>
</html>`;
}

function contentSecurityPolicy(page: WebviewPage, nonce: string): string {
  const styleSources = [...(page.styles === undefined ? [] : [`'nonce-${nonce}'`]), ...(page.styleSources ?? [])];
  const directives = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    styleSources.length ? `style-src ${styleSources.join(' ')}` : '',
    page.imageSources?.length ? `img-src ${page.imageSources.join(' ')}` : '',
    `font-src ${page.webview.cspSource}`,
  ];
  return directives.filter((d) => d).join('; ');
}
