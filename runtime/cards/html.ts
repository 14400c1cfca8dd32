// The HTML page of a card: the card's data as JSON plus the viewer script (dist/cards/viewer.js),
// either by a relative link to the datastore's shared copy (stored cards) or inline (a card
// written out with `flowspec card get`). Nothing in the page loads from the network: the CSP
// forbids it, and neither the page nor the viewer names a remote URL to load.
import { escapeAttribute, htmlPage, PolicyDirectives } from '../../model/htmlPage';
import type { CardData } from './data';

export type ViewerScript = { src: string } | { inline: string };

export interface CardPageOptions {
  /** A URL the viewer polls for fresh data while the card is `running` (the card server). */
  pollUrl?: string;
}

export function cardPage(card: CardData, viewer: ViewerScript, options: CardPageOptions = {}): string {
  const script =
    'src' in viewer
      ? `<script src="${escapeAttribute(viewer.src)}"></script>`
      : `<script>${viewer.inline.replace(/<\/script/gi, '<\\/script')}</script>`;
  return htmlPage({
    policy: CARD_POLICY,
    title: card.title,
    body: `<main id="flowspec-card"><noscript>This card needs JavaScript to show its components.</noscript></main>
${cardDataScript(card, options.pollUrl)}
${script}`,
  });
}

/** The card's data for the viewer (dist/cards/viewer.js), in the page it shows; with `pollUrl`, where fresh data is. */
export function cardDataScript(card: CardData, pollUrl?: string): string {
  const poll = pollUrl ? ` data-poll="${escapeAttribute(pollUrl)}"` : '';
  return `<script type="application/json" id="flowspec-card-data"${poll}>${jsonForScript(card)}</script>`;
}

/** No network at all: scripts and styles from the page itself or the card's folder, images from data: URLs. */
const CARD_POLICY: PolicyDirectives = [
  ['default-src', ["'none'"]],
  ['script-src', ["'self'", "'unsafe-inline'", 'file:']],
  ['style-src', ["'unsafe-inline'"]],
  ['img-src', ['data:', 'blob:']],
  ['connect-src', ["'self'"]],
];

/** JSON that cannot end the <script> element it sits in. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
