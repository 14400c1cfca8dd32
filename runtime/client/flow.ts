// The client API's Flow: the runs of one flow in the datastore.
import type { Datastore } from '../datastore';
import { keys } from '../datastore/records';
import { isDamaged } from '../errors';
import { identifierProblem } from '../../model/identifiers';
import { checkIdentifier } from '../datastore/names';
import { byNumber, ClientOptions, NotFoundError, storeOf } from './reading';
import { closest } from '../../model/suggest';
import { spinStore } from '../spin/store';
import { Run, RunFiles } from './run';
import { RunPage } from './runPage';
import type { Task } from './task';
import { getNamespace, NamespaceMismatchError } from './namespace';

export class Flow {
  private readonly store: Datastore;
  /** The namespace this Flow filters by (null: none), fixed when it is created, as Metaflow's objects. */
  readonly namespace: string | null;

  /** A flow that has runs in the datastore; another name throws NotFoundError (Metaflow's MetaflowNotFound). */
  constructor(
    readonly name: string,
    options: ClientOptions = {},
  ) {
    checkIdentifier('flow name', name);
    this.store = storeOf(options);
    this.namespace = options.namespace === undefined ? getNamespace() : options.namespace;
    if (!hasRuns(this.store, name)) {
      const known = flowNames(this.store);
      const suggestion = closest(name, known);
      const hint = suggestion ? `; did you mean '${suggestion}'?` : known.length ? ` (it has ${known.join(', ')})` : ' (it has none)';
      throw new NotFoundError(`no flow ${name} in the datastore${hint}`);
    }
  }

  /** Every flow that has runs in the datastore. */
  static list(options: ClientOptions = {}): Flow[] {
    const store = storeOf(options);
    return flowNames(store).map(
      (name) => new Flow(name, { datastore: store, ...(options.namespace !== undefined ? { namespace: options.namespace } : {}) }),
    );
  }

  get pathspec(): string {
    return this.name;
  }

  /**
   * Runs, newest first; with `tags`, only runs that have all of them. A damaged run (a record
   * that cannot be read) is listed with `status` 'damaged' and says why in `damage`; a tag filter
   * leaves it out. Only runs in the namespace are listed (a damaged run, whose tags cannot be read,
   * is listed in every namespace).
   */
  runs(filter: { tags?: string[] } = {}): Run[] {
    return [...this.eachRun(filter)];
  }

  /**
   * The runs of runs(), one at a time as a loop asks for them (a listing can show its progress, or
   * stop early): one listing of the run ids, then the run.json and status.json of a page of runs at
   * once (concurrent requests on S3) when the loop reaches it, pages growing from a few runs (the
   * latest run costs one small page) to a hundred. A run's status is read when asked for, and kept
   * once it is final. A page's runs read their user tags' changes and their parameter values
   * together, when the first of them is asked (runPage.ts).
   */
  *eachRun(filter: { tags?: string[] } = {}): Generator<Run> {
    const ids = this.store
      .list(keys.runs(this.name))
      .filter((id) => identifierProblem(id) === undefined)
      .sort(byNumber)
      .reverse();
    for (let i = 0, size = FIRST_PAGE; i < ids.length; i += size, size = Math.min(size * 4, LAST_PAGE)) {
      const page = ids.slice(i, i + size);
      const files = readAhead(
        this.store,
        page.flatMap((id) => [keys.runRecord(this.name, id), keys.runStatus(this.name, id)]),
      );
      const together = new RunPage(this.store, this.name);
      for (const [j, id] of page.entries()) {
        const [record, status] = [files[2 * j], files[2 * j + 1]];
        // No run.json: not a run (one being created, or a stray folder). One that cannot be read is listed, as damaged.
        if (record === undefined) continue;
        const ahead: RunFiles = { page: together };
        if (record !== 'damaged') ahead.record = record;
        if (status !== 'damaged') ahead.status = status;
        together.runs.push(new Run(this.store, this.name, id, ahead));
      }
      for (const run of together.runs)
        if (this.inNamespace(run) && (!filter.tags || (!run.damage && filter.tags.every((t) => run.tags.includes(t))))) yield run;
    }
  }

  /** The newest run that is not damaged. */
  get latestRun(): Run | undefined {
    return first(this.eachRun(), (r) => !r.damage);
  }

  get latestSuccessfulRun(): Run | undefined {
    return first(this.eachRun(), (r) => r.successful);
  }

  /**
   * The run `id`; reading a damaged one's record throws a DamagedError naming the file. A run of
   * another namespace throws a NamespaceMismatchError, as Metaflow's client.
   */
  run(id: string | number): Run {
    const run = new Run(this.store, this.name, checkIdentifier('run id', String(id)));
    if (!hasRunRecord(this.store, this.name, String(id))) throw new NotFoundError(`no run ${this.name}/${id}`);
    if (!this.inNamespace(run)) throw new NamespaceMismatchError(run.pathspec, this.namespace!);
    return run;
  }

  /** Spins of the flow's steps (`flowspec spin`), newest first: each a run of one task, kept apart from `runs()`. */
  spins(): Run[] {
    const spins = spinStore(this.store);
    return hasRuns(spins, this.name) ? new Flow(this.name, { datastore: spins, namespace: this.namespace }).runs() : [];
  }

  /** The task of the newest spin of `step` (with `data`, `stdout`, `spunFrom`); undefined when it was never spun. */
  latestSpin(step: string): Task | undefined {
    const spin = this.spins().find((s) => !s.damage && s.record.spin?.task.split('/')[2] === step);
    return spin?.step(step).task;
  }

  private inNamespace(run: Run): boolean {
    return run.isInNamespace(this.namespace);
  }
}

/** Runs whose records are read at once: the first page, and the largest. */
const FIRST_PAGE = 8;
const LAST_PAGE = 128;

/** The files at once; when one of them cannot be read as a file (a folder where it belongs), one by one, marking it 'damaged'. */
function readAhead(store: Datastore, fileKeys: string[]): Array<Buffer | undefined | 'damaged'> {
  const one = (key: string): Buffer | undefined | 'damaged' => {
    try {
      return store.readFile(key);
    } catch (e) {
      if (isDamaged(e)) return 'damaged';
      throw e;
    }
  };
  try {
    return store.readFiles(fileKeys);
  } catch (e) {
    if (!isDamaged(e)) throw e;
    return fileKeys.map(one);
  }
}

function first<T>(items: Iterable<T>, test: (item: T) => boolean): T | undefined {
  for (const item of items) if (test(item)) return item;
  return undefined;
}

/** Whether run `id` has a run record, readable or not (a damaged one is listed, as damaged). */
function hasRunRecord(store: Datastore, flow: string, id: string): boolean {
  try {
    return store.readFile(keys.runRecord(flow, id)) !== undefined;
  } catch (e) {
    if (isDamaged(e)) return true;
    throw e;
  }
}

function hasRuns(store: Datastore, name: string): boolean {
  return store.list(keys.runs(name)).length > 0;
}

/** The flows that have runs in the datastore. */
function flowNames(store: Datastore): string[] {
  return store.list('').filter((name) => !name.startsWith('.') && identifierProblem(name) === undefined && hasRuns(store, name));
}
