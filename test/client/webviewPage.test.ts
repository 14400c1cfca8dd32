// The webview pages the extension shows (the flow graph, a card) as the webview receives them:
// the Content-Security-Policy each one runs under, and the nonce on every script and style.
import { strict as assert } from 'node:assert';
import type * as vscode from 'vscode';
import { graphHtml } from '../../client/graph/html';
import { cardWebviewHtml } from '../../client/cards/html';

const webview = { cspSource: 'https://*.vscode-cdn.net' } as vscode.Webview;
const uri = (path: string) => ({ toString: () => `https://file+.vscode-resource.vscode-cdn.net${path}` }) as vscode.Uri;

function policyOf(html: string): string[] {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the page has a Content-Security-Policy');
  return m[1].split('; ');
}

/** The nonce of the policy's script-src, after checking that every script and style tag carries it. */
function checkedNonce(html: string): string {
  const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
  assert.ok(nonce, 'script-src allows a nonce');
  const tags = html.match(/<(script|style)\b[^>]*>/g) ?? [];
  for (const tag of tags) {
    if (tag.includes('type="application/json"')) continue;
    assert.ok(tag.includes(` nonce="${nonce}"`), `${tag} carries the page's nonce`);
  }
  return nonce;
}

describe('webview pages', () => {
  it("the graph page allows only its nonce'd script and style, images from the extension and data:, fonts from the extension", () => {
    const html = graphHtml(webview, uri('/dist/webview/graph.js'));
    const nonce = checkedNonce(html);
    assert.deepEqual(policyOf(html), [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      'img-src https://*.vscode-cdn.net data:',
      'font-src https://*.vscode-cdn.net',
    ]);
    assert.match(html, /<title>Flow graph<\/title>\n<style nonce="[^"]+">/);
    assert.match(
      html,
      /<script nonce="[^"]+" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/dist\/webview\/graph\.js"><\/script>\n<\/body>/,
    );
    assert.match(html, /<svg id="svg"/);
  });

  it("the card page allows its nonce'd viewer, inline styles (Vega adds them) and data:/blob: images, nothing remote", () => {
    const card = { title: 'T', components: [{ type: 'markdown', text: '</script><script>alert(1)</script>' }] };
    const html = cardWebviewHtml(webview, uri('/dist/cards/viewer.js'), card as never);
    const nonce = checkedNonce(html);
    assert.deepEqual(policyOf(html), [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      "style-src https://*.vscode-cdn.net 'unsafe-inline'",
      'img-src data: blob:',
      'font-src https://*.vscode-cdn.net',
    ]);
    // The card's data cannot end its <script> element: only the data block and the viewer are scripts.
    assert.equal(html.match(/<script\b/g)?.length, 2);
    const data = /<script type="application\/json" id="flowspec-card-data">([^<]*)<\/script>/.exec(html);
    assert.deepEqual(JSON.parse(data![1]), card);
  });

  it('every page gets a fresh nonce', () => {
    const first = checkedNonce(graphHtml(webview, uri('/g.js')));
    const second = checkedNonce(graphHtml(webview, uri('/g.js')));
    assert.notEqual(first, second);
  });
});
