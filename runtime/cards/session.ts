// The cards of one running task: what `current.card` is. Components appended by the step are kept
// as objects and turned into data when the card is stored: on `refresh()` (at most once a second
// per card) while the task runs, and once more when it ends, whatever the outcome.
// Nothing here may fail the task: a problem becomes a message on the card, or a warning line in
// the task's stderr when not even that can be stored (as Metaflow's cards).
import type { Datastore } from '../datastore';
import { deserializeArtifact } from '../datastore/artifacts';
import { readLog, RunRecord, TaskRecord } from '../datastore/records';
import type { CardOptions } from '../flow/stepMeta';
import { CardComponent, componentData } from './components';
import { CARD_TYPES, CardData, CardType, ComponentData } from './data';
import { defaultSections, TaskFacts } from './defaultCard';
import { storeCard, TaskRef } from './store';

/**
 * The components of a card by the id given to `append(c, { id })`, as Metaflow's: read one to
 * `update()` it, assign one to replace it in place (or append it under that id).
 */
export interface CardComponents {
  [id: string]: CardComponent;
}

/** What `current.card` and `current.card[id]` give a step. */
export interface CardHandle {
  /** Adds a component at the end of the card; with an `id`, it is also `components[id]`. */
  append(component: CardComponent, options?: { id?: string }): void;
  extend(components: CardComponent[]): void;
  /** Removes every component the step added. */
  clear(): void;
  /** Stores the card as it is now, so viewers of a running task see it (throttled to once a second). */
  refresh(): void;
  readonly components: CardComponents;
}

/** `current.card`: the step's default card, and `current.card[id]` for a card with an id. */
export type CurrentCard = CardHandle & { readonly [id: string]: CardHandle };

const REFRESH_INTERVAL_MS = 1000;
const DEFAULT_TIMEOUT_S = 45;

class TaskCard {
  components: unknown[] = [];
  /** Components appended with an id. */
  ids = new Map<string, unknown>();
  lastStored = 0;
  /** A refresh that came too soon, stored when the interval is over. */
  trailing?: NodeJS.Timeout;

  constructor(
    readonly index: number,
    readonly options: CardOptions,
  ) {}

  get type(): string {
    return this.options.type ?? 'default';
  }
}

export class CardSession {
  private readonly cards: TaskCard[];
  private readonly warned = new Set<string>();
  readonly api: CurrentCard;

  constructor(
    private readonly datastore: Datastore,
    private readonly task: TaskRef,
    declared: CardOptions[],
    private readonly startedAt: string,
    /** Keeps @secrets values out of the stored card. */
    private readonly redactor?: { data<T>(data: T): T },
  ) {
    this.cards = declared.map((options, index) => new TaskCard(index, options));
    this.api = this.currentCard();
  }

  /** Stores every card a last time, with the task's outcome; never throws. */
  finish(record: TaskRecord, run: RunRecord): void {
    for (const card of this.cards) {
      clearTimeout(card.trailing);
      this.guard(card, () => {
        const deadline = Date.now() + 1000 * (card.options.timeout ?? DEFAULT_TIMEOUT_S);
        const sections = card.type === 'default' ? defaultSections(this.facts(record, run), deadline) : [];
        this.store(card, 'final', sections);
      });
    }
  }

  private refresh(card: TaskCard): void {
    const wait = card.lastStored + REFRESH_INTERVAL_MS - Date.now();
    if (wait > 0) {
      // Too soon: store once the interval is over (if the step gives the event loop a turn
      // before it ends; the final store comes anyway).
      card.trailing ??= setTimeout(() => {
        card.trailing = undefined;
        this.refresh(card);
      }, wait).unref();
      return;
    }
    this.guard(card, () => {
      const running: ComponentData[] =
        card.type === 'default'
          ? [{ type: 'text', text: 'The task is running: its parameters, artifacts and logs appear here when it ends.' }]
          : [];
      this.store(card, 'running', running);
    });
  }

  private store(card: TaskCard, status: CardData['status'], after: ComponentData[]): void {
    const problems = this.optionProblems(card);
    const components = card.components.map((c, i) => componentData(c, `component ${i} of the card`));
    const { flow, runId, step, taskId } = this.task;
    const pathspec = `${flow}/${runId}/${step}/${taskId}`;
    const title =
      typeof card.options.options?.title === 'string'
        ? card.options.options.title
        : `${pathspec}${card.options.id ? ` · ${card.options.id}` : ''}`;
    const redact = <T>(data: T): T => (this.redactor ? this.redactor.data(data) : data);
    storeCard(
      this.datastore,
      this.task,
      redact({
        format: 'flowspec-card/1',
        id: card.options.id,
        type: (CARD_TYPES as readonly string[]).includes(card.type) ? (card.type as CardType) : 'blank',
        index: card.index,
        pathspec,
        title,
        status,
        updatedAt: new Date().toISOString(),
        components: [...problems, ...components, ...after],
      }),
    );
    card.lastStored = Date.now();
  }

  private optionProblems(card: TaskCard): ComponentData[] {
    if ((CARD_TYPES as readonly string[]).includes(card.type)) return [];
    return [
      {
        type: 'error',
        title: 'Unknown card type',
        message: `@card({ type: '${card.type}' }) is not a card type: use ${CARD_TYPES.map((t) => `'${t}'`).join(' or ')}`,
      },
    ];
  }

  /** Runs a card operation; a failure is a warning in the task's log, never the task's failure. */
  private guard(card: TaskCard, action: () => void): void {
    try {
      action();
    } catch (e) {
      process.stderr.write(
        `[@card WARNING] card ${card.index}${card.options.id ? ` ('${card.options.id}')` : ''} of ${this.task.step} could not be stored: ${(e as Error).message}\n`,
      );
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    process.stderr.write(`[@card WARNING] ${message}\n`);
  }

  private facts(record: TaskRecord, run: RunRecord): TaskFacts {
    const { flow, runId, step, taskId } = this.task;
    const value = (hash: string) => deserializeArtifact(this.datastore.getBlob(flow, hash));
    const parameterNames = new Set(Object.keys(run.parameters));
    const log = (stream: 'stdout' | 'stderr') => readLog(this.datastore, this.task, record.attempt, stream);
    return {
      pathspec: `${flow}/${runId}/${step}/${taskId}`,
      step,
      status: record.status,
      attempt: record.attempt,
      startedAt: this.startedAt,
      finishedAt: record.finishedAt,
      exception: record.exception,
      parameters: Object.fromEntries(Object.entries(run.parameters).map(([name, p]) => [name, value(p.hash)])),
      artifacts: Object.entries(record.artifacts)
        .filter(([name]) => !parameterNames.has(name))
        .map(([name, info]) => ({ name, info, load: () => value(info.hash) })),
      graph: run.graph,
      stdout: log('stdout'),
      stderr: log('stderr'),
    };
  }

  /**
   * Metaflow's rule for which card `current.card` edits: the only card, else the one with
   * `customize: true`, else the only card without an id. Cards with an id are also reachable as
   * `current.card[id]`.
   */
  private defaultCard(): TaskCard | undefined {
    if (this.cards.length === 1) return this.cards[0];
    const customized = this.cards.find((c) => c.options.customize);
    if (customized) return customized;
    const withoutId = this.cards.filter((c) => !c.options.id);
    return withoutId.length === 1 ? withoutId[0] : undefined;
  }

  private handle(card: TaskCard | undefined, name: string): CardHandle {
    const missing = () =>
      this.warnOnce(
        name,
        this.cards.length === 0
          ? `${name} is used in step '${this.task.step}', which has no @card(): nothing is shown (add @card() to the step)`
          : `${name} names no card of step '${this.task.step}': give one @card an id, or leave exactly one without (cards: ${this.cards.map((c) => c.options.id ?? '(no id)').join(', ')})`,
      );
    const components = card ? this.componentsById(card, name) : ({} as CardComponents);
    return {
      append: (component, options) => {
        if (!card) return missing();
        card.components.push(component);
        if (options?.id !== undefined) card.ids.set(options.id, component);
      },
      extend: (components) => {
        if (card) card.components.push(...components);
        else missing();
      },
      clear: () => {
        if (!card) return missing();
        card.components = [];
        card.ids.clear();
      },
      refresh: () => {
        if (card) this.refresh(card);
        else missing();
      },
      components,
    };
  }

  /** `components[id]` of a card: the component appended with that id; assigning replaces it where it is. */
  private componentsById(card: TaskCard, name: string): CardComponents {
    return new Proxy({} as CardComponents, {
      get: (_target, id) => {
        if (typeof id === 'string' && card.ids.has(id)) return card.ids.get(id);
        // What printing or awaiting the object looks up is no component id.
        if (typeof id !== 'string' || id in Object.prototype || id === 'then' || id === 'toJSON') return undefined;
        // As Metaflow's KeyError: the step asked for a component that is not there.
        throw new Error(
          `${name}.components['${id}'] is not a component of the card: append it with ${name}.append(component, { id: '${id}' })${card.ids.size ? ` (ids: ${[...card.ids.keys()].join(', ')})` : ''}`,
        );
      },
      set: (_target, id, component) => {
        if (typeof id !== 'string') return false;
        const at = card.ids.has(id) ? card.components.indexOf(card.ids.get(id)) : -1;
        if (at >= 0) card.components[at] = component;
        else card.components.push(component);
        card.ids.set(id, component);
        return true;
      },
      has: (_target, id) => typeof id === 'string' && card.ids.has(id),
      ownKeys: () => [...card.ids.keys()],
      getOwnPropertyDescriptor: (_target, id) =>
        typeof id === 'string' && card.ids.has(id)
          ? { value: card.ids.get(id), enumerable: true, configurable: true, writable: true }
          : undefined,
    });
  }

  private currentCard(): CurrentCard {
    const main = this.handle(this.defaultCard(), 'current.card');
    const byId = new Map<string, CardHandle>();
    return new Proxy(main, {
      get: (target, key, receiver) => {
        if (typeof key !== 'string' || key in target) return Reflect.get(target, key, receiver);
        let handle = byId.get(key);
        if (!handle)
          byId.set(
            key,
            (handle = this.handle(
              this.cards.find((c) => c.options.id === key),
              `current.card['${key}']`,
            )),
          );
        return handle;
      },
    }) as CurrentCard;
  }
}
