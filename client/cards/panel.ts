// Card tabs: one webview per card, rendered by the card viewer from the card's data. While the
// card is `running` its data is re-read every second (and on any datastore change) and sent to the
// webview, which redraws; once it is `final` the polling stops. Data is sent only once the
// webview's script says it is ready (a message posted before would be lost). The datastore reader
// reads the cards, off the extension host's thread.
import * as vscode from 'vscode';
import type { CardData } from '../../runtime/cards/data';
import type { CardRef } from '../reader/protocol';
import type { DatastoreReader } from '../reader/proxy';
import { OpenPanels } from '../openPanels';
import { WebviewPanelHost } from '../webviewPanel';
import { cardWebviewHtml } from './html';

const POLL_MS = 1000;

export type { CardRef };

export class CardPanels implements vscode.Disposable {
  private readonly panels = new OpenPanels<CardPanel>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly reader: DatastoreReader,
    private readonly onDatastoreChange: vscode.Event<void>,
  ) {}

  /** Opens (or reveals) the card's tab; undefined when the task has no such card. */
  async open(ref: CardRef): Promise<CardPanel | undefined> {
    const key = `${ref.root}#${ref.pathspec}#${ref.index}`;
    const existing = this.panels.reveal(key);
    if (existing) return existing;
    const card = await this.reader.request('card', ref);
    if (!card) return undefined;
    // Another open of the same card may have finished while this one read it.
    return (
      this.panels.reveal(key) ??
      this.panels.add(key, (closed) => new CardPanel(this.context, this.reader, ref, card, this.onDatastoreChange, closed))
    );
  }

  /** The panels open now (for tests and commands). */
  all(): CardPanel[] {
    return this.panels.all();
  }

  dispose(): void {
    this.panels.dispose();
  }
}

export class CardPanel implements vscode.Disposable {
  private readonly host: WebviewPanelHost<{ type: string }>;
  private readonly subscription: vscode.Disposable;
  private timer?: NodeJS.Timeout;
  private reading = false;
  private disposed = false;

  constructor(
    context: vscode.ExtensionContext,
    private readonly reader: DatastoreReader,
    readonly ref: CardRef,
    private card: CardData,
    onDatastoreChange: vscode.Event<void>,
    onDispose: () => void,
  ) {
    this.host = new WebviewPanelHost(
      context,
      {
        viewType: 'flowspec.card',
        title: titleOf(card),
        column: vscode.ViewColumn.Active,
        scriptFolder: ['dist', 'cards'],
        script: 'viewer.js',
        html: (webview, script) => cardWebviewHtml(webview, script, card),
      },
      {
        onReady: () => this.post(),
        onDispose: () => {
          onDispose();
          this.dispose();
        },
      },
    );
    this.subscription = onDatastoreChange(() => void this.reload());
    this.schedule();
  }

  /** The data last shown. */
  get data(): CardData {
    return this.card;
  }

  reveal(): void {
    this.host.panel.reveal();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.disposed && this.card.status === 'running')
      this.timer = setTimeout(() => {
        void this.reload().then(() => this.schedule());
      }, POLL_MS);
  }

  /** Reads the card again and redraws it if the task has refreshed it (one read at a time). */
  private async reload(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    let fresh: CardData | undefined;
    try {
      fresh = await this.reader.request('card', this.ref);
    } catch {
      return; /* being written: the next tick reads it */
    } finally {
      this.reading = false;
    }
    if (this.disposed || !fresh || fresh.updatedAt === this.card.updatedAt) return;
    this.card = fresh;
    this.host.panel.title = titleOf(fresh);
    this.post();
    this.schedule();
  }

  private post(): void {
    this.host.post({ type: 'card', card: this.card });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.host.dispose();
  }
}

function titleOf(card: CardData): string {
  return `Card: ${card.title}${card.status === 'running' ? ' (running)' : ''}`;
}
