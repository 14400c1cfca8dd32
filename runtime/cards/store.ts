// Cards in the datastore, next to their task:
//
//   <Flow>/runs/<id>/steps/<step>/<task>/cards/card-<n>.json   the card's data (data.ts)
//   <Flow>/runs/<id>/steps/<step>/<task>/cards/card-<n>.html   the page: that data + the viewer
//   .cards/viewer-<sha>.js                                     the viewer script, one shared copy
//
// The stored page links the shared viewer by a relative path, so a card opened straight from a
// local datastore works offline and a foreach of many tasks does not store the viewer many times.
// `StoredCard.html` (`cardPage` with the viewer inline) is a page that works when moved elsewhere.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Datastore } from '../datastore';
import { keys, readTaskRecord } from '../datastore/records';
import type { CardData } from './data';
import { cardPage, CardPageOptions } from './html';

export interface TaskRef {
  flow: string;
  runId: string;
  step: string;
  taskId: string;
}

const cardsKey = (t: TaskRef) => `${keys.task(t.flow, t.runId, t.step, t.taskId)}/cards`;
const cardKey = (t: TaskRef, index: number, ext: 'json' | 'html') => `${cardsKey(t)}/card-${index}.${ext}`;
const VIEWER_FOLDER = '.cards';

/** A stored card's data plus where its viewer is (not part of the public data). */
interface StoredCardData extends CardData {
  viewer?: string;
}

/** Writes a card: its data first, then the page, each atomically. */
export function storeCard(datastore: Datastore, task: TaskRef, card: CardData): void {
  const viewer = sharedViewer(datastore);
  const stored: StoredCardData = { ...card, viewer };
  // Compact: a card's data can hold thousands of chart points.
  datastore.writeFile(cardKey(task, card.index, 'json'), JSON.stringify(stored));
  const htmlKey = cardKey(task, card.index, 'html');
  const page = viewer ? cardPage(card, { src: relativeKey(htmlKey, viewer) }) : cardPage(card, { inline: MISSING_VIEWER });
  datastore.writeFile(htmlKey, page);
}

export class StoredCard {
  constructor(
    private readonly datastore: Datastore,
    readonly task: TaskRef,
    private readonly stored: StoredCardData,
  ) {}

  get id(): string | undefined {
    return this.stored.id;
  }
  get type(): CardData['type'] {
    return this.stored.type;
  }
  get index(): number {
    return this.stored.index;
  }
  /** The card's components as data: what the editor renders natively. */
  get data(): CardData {
    const { viewer: _viewer, ...data } = this.stored;
    return data;
  }
  /** The datastore key of the stored page. */
  get htmlKey(): string {
    return cardKey(this.task, this.index, 'html');
  }
  /** A path to the stored page, for a datastore with local files (an object store has none). */
  get localPath(): string | undefined {
    const path = this.datastore.localPath(this.htmlKey);
    return path && existsSync(path) ? path : undefined;
  }
  /** A page with the viewer inline: opens anywhere, offline, on its own. */
  get html(): string {
    return this.page();
  }

  /** The page with the viewer inline; `pollUrl` makes a running card refresh itself from there. */
  page(options: CardPageOptions = {}): string {
    return cardPage(this.data, { inline: this.viewerScript() }, options);
  }

  /** The datastore key of the viewer script the card was stored with. */
  get viewerKey(): string | undefined {
    return this.stored.viewer;
  }

  viewerScript(): string {
    const script = this.stored.viewer ? this.datastore.readFile(this.stored.viewer) : undefined;
    return script?.toString('utf8') ?? MISSING_VIEWER;
  }
}

/** A self-contained copy of the card in a new temporary folder (for a datastore without local files). */
export function selfContainedCopy(card: StoredCard): string {
  const { flow, runId, step, taskId } = card.task;
  const file = join(mkdtempSync(join(tmpdir(), 'flowspec-card-')), `${flow}-${runId}-${step}-${taskId}-card-${card.id ?? card.index}.html`);
  writeFileSync(file, card.html);
  return file;
}

/**
 * Where a task's cards are: its own folder, or for a task that resume cloned (it ran nothing, so
 * it stored no card), the task it was cloned from, as Metaflow shows a cloned task's cards.
 */
function cardOwner(datastore: Datastore, task: TaskRef): TaskRef {
  let owner = task;
  for (let hops = 0; hops < 100 && !datastore.list(cardsKey(owner)).some((name) => name.endsWith('.json')); hops++) {
    const origin = readTaskRecord(datastore, owner.flow, owner.runId, owner.step, owner.taskId)?.origin;
    if (!origin) break;
    const [flow, runId, step, taskId] = origin.split('/');
    owner = { flow, runId, step, taskId };
  }
  return owner;
}

/** The task's cards in decorator order (empty for a task without cards); a cloned task's are its origin's. */
export function readCards(datastore: Datastore, task: TaskRef): StoredCard[] {
  const owner = cardOwner(datastore, task);
  return datastore
    .list(cardsKey(owner))
    .map((name) => /^card-(\d+)\.json$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
    .map((index) => datastore.readJson<StoredCardData>(cardKey(owner, index, 'json')))
    .filter((data): data is StoredCardData => data?.format === 'flowspec-card/1')
    .map((data) => new StoredCard(datastore, owner, data));
}

/** Whether the task has a card (cheaper than reading them); a cloned task has its origin's. */
export function hasCards(datastore: Datastore, task: TaskRef): boolean {
  return datastore.list(cardsKey(cardOwner(datastore, task))).some((name) => name.endsWith('.json'));
}

// The viewer bundle: dist/cards/viewer.js next to the running bundle (dist/cli.js, dist/extension.js),
// or in dist/ of the repository when running from source.
function viewerBundlePath(): string | undefined {
  return [join(__dirname, 'cards', 'viewer.js'), join(__dirname, '..', '..', 'dist', 'cards', 'viewer.js')].find(existsSync);
}

let viewerBundle: { key: string; bytes: Buffer } | undefined | null;
const viewerStoredIn = new Set<string>();

/** The key of the datastore's copy of the viewer, stored on first use; undefined without a build. */
function sharedViewer(datastore: Datastore): string | undefined {
  if (viewerBundle === undefined) {
    const path = viewerBundlePath();
    if (!path) {
      viewerBundle = null;
    } else {
      const bytes = readFileSync(path);
      viewerBundle = { bytes, key: `${VIEWER_FOLDER}/viewer-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.js` };
    }
  }
  if (!viewerBundle) return undefined;
  const { key, bytes } = viewerBundle;
  const marker = `${datastore.location}\0${key}`;
  if (!viewerStoredIn.has(marker)) {
    if (!datastore.list(VIEWER_FOLDER).includes(key.slice(VIEWER_FOLDER.length + 1))) datastore.writeFile(key, bytes);
    viewerStoredIn.add(marker);
  }
  return key;
}

/** `to` as a path relative to the folder of `from` (both datastore keys). */
function relativeKey(from: string, to: string): string {
  const depth = from.split('/').length - 1;
  return `${'../'.repeat(depth)}${to}`;
}

export const MISSING_VIEWER = `document.getElementById('flowspec-card').textContent = 'This card was stored by a flowspec without its card viewer (dist/cards/viewer.js): run npm run build, then run the flow again.';`;
