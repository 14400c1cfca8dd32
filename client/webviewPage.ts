// The page frame of the extension's webviews (the flow graph, a card): a fresh nonce, a strict
// Content-Security-Policy and the nonce'd tags, in the frame every page of ours has (model/htmlPage.ts). The policy starts
// from `default-src 'none'`: scripts only with the nonce, fonts only from the extension, and
// styles and images only from the sources a page names. (The scripts that run inside a webview
// live in client/webview/; this module runs on the extension host.)
import type * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { htmlPage } from '../model/htmlPage';

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
  const scripts = page.scripts.map((src) => `<script nonce="${nonce}" src="${src}"></script>`);
  return htmlPage({
    policy: [
      ['default-src', ["'none'"]],
      ['script-src', [`'nonce-${nonce}'`]],
      ['style-src', [...(page.styles === undefined ? [] : [`'nonce-${nonce}'`]), ...(page.styleSources ?? [])]],
      ['img-src', page.imageSources ?? []],
      ['font-src', [page.webview.cspSource]],
    ],
    title: page.title,
    head: page.styles === undefined ? '' : `<style nonce="${nonce}">${page.styles}</style>\n`,
    body: [page.body, ...scripts].join('\n'),
  });
}
