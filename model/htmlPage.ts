// The frame of the HTML pages we generate — a stored card (runtime/cards/html.ts) and the
// extension's webviews (client/webviewPage.ts): the doctype, the charset, the
// Content-Security-Policy, the viewport and the title. What differs between them is explicit in
// what each passes: its policy (a card opens from a file, a webview allows only its nonce), the
// head's extra tags and the body.

/** A Content-Security-Policy's directives, in order; a directive without sources is left out. */
export type PolicyDirectives = ReadonlyArray<readonly [name: string, sources: readonly string[]]>;

export function contentSecurityPolicy(directives: PolicyDirectives): string {
  return directives
    .filter(([, sources]) => sources.length > 0)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

export interface HtmlPage {
  policy: PolicyDirectives;
  /** Plain text (escaped here). */
  title: string;
  /** Markup added to the head after the title, ending with a newline. */
  head?: string;
  body: string;
}

export function htmlPage(page: HtmlPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(page.policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeText(page.title)}</title>
${page.head ?? ''}</head>
<body>
${page.body}
</body>
</html>
`;
}

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}
