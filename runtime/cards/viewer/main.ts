/// <reference lib="dom" />
// The card viewer (bundled as a browser IIFE to dist/cards/viewer.js). It renders a card's data
// (data.ts) into the page. The data comes from the page's JSON element, or, in the editor's
// webview, from the extension's messages; a page served by `flowspec card server` polls for fresh
// data while its task runs.
import type { CardData } from '../data';
import { renderCard } from './render';
import { CARD_CSS } from './style';

declare const acquireVsCodeApi: undefined | (() => { postMessage(message: unknown): void });

const POLL_MS = 1000;

function start(): void {
  const root = document.getElementById('flowspec-card');
  if (!root) return;
  const style = document.createElement('style');
  style.textContent = CARD_CSS;
  document.head.appendChild(style);
  const source = document.getElementById('flowspec-card-data');
  let shown: string | undefined;
  const show = (card: CardData) => {
    if (card.updatedAt === shown) return;
    shown = card.updatedAt;
    renderCard(root, card);
  };
  if (source?.textContent) show(JSON.parse(source.textContent) as CardData);
  const pollUrl = source?.getAttribute('data-poll');
  if (pollUrl) poll(pollUrl, show);
  if (typeof acquireVsCodeApi === 'function') {
    // In the editor's webview: the extension sends fresh data while the task runs, from the
    // moment it hears that this script listens.
    const vscode = acquireVsCodeApi();
    window.addEventListener('message', (event: MessageEvent) => {
      const message = event.data as { type?: string; card?: CardData };
      if (message?.type === 'card' && message.card) show(message.card);
    });
    vscode.postMessage({ type: 'ready' });
  }
}

function poll(url: string, show: (card: CardData) => void): void {
  const tick = async () => {
    try {
      const response = await fetch(url, { cache: 'no-store' });
      if (response.ok) {
        const card = (await response.json()) as CardData;
        show(card);
        if (card.status === 'final') return;
      }
    } catch {
      // The server may be restarting: try again at the next tick.
    }
    setTimeout(() => void tick(), POLL_MS);
  };
  setTimeout(() => void tick(), POLL_MS);
}

start();
