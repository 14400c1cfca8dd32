// The client API's Run: one run's status, tags (which it can change), parameters and steps.
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { stepOrder, successorsOf } from '../../model/graph';
import type { Datastore } from '../datastore';
import { keys, readRunRecord, readRunStatus, RunRecord, RunStatusRecord } from '../datastore/records';
import { isDamaged } from '../errors';
import { changeTags, currentUserTags, TagChange } from '../datastore/tags';
import { artifactData, NotFoundError, readArtifact } from './reading';
import type { RunPage } from './runPage';
import { Step } from './step';
import { Task } from './task';
import { getNamespace } from './namespace';

export type RunStatus = RunStatusRecord['status'] | 'crashed' | 'damaged';

/** An IncludeFile parameter as a listing shows it: the file it read (absolute path), its size in bytes, a preview of its content. */
export interface IncludedFileSummary {
  file: string;
  size: number;
  preview: string;
}

/** `"title,genre\nPirates…" (movies.csv, 812345 bytes)` */
export function includedFileText(s: IncludedFileSummary): string {
  return `${s.preview} (${basename(s.file)}, ${s.size} bytes)`;
}

/** A run's run.json and status.json as read ahead for many runs at once (Flow.runs); undefined: not read. */
export interface RunFiles {
  record?: Buffer;
  status?: Buffer;
  /** The runs listed with this one, which read their tag changes and parameter values together. */
  page?: RunPage;
}

export class Run {
  private cachedRecord?: RunRecord;
  /** The user tags as read (see userTags); forgotten when this Run changes them. */
  private cachedUserTags?: string[];
  /** A status that is final (not running) never changes: kept once read. */
  private finalStatus?: RunStatusRecord;

  constructor(
    private readonly store: Datastore,
    readonly flow: string,
    readonly id: string,
    /** Files read ahead, each used by the first read of it instead of a request. */
    private readonly readAhead: RunFiles = {},
  ) {}

  /** The file read ahead, once: later reads go to the datastore. */
  private take(file: 'record' | 'status'): Buffer | undefined {
    const bytes = this.readAhead[file];
    this.readAhead[file] = undefined;
    return bytes;
  }

  get pathspec(): string {
    return `${this.flow}/${this.id}`;
  }

  get record(): RunRecord {
    this.cachedRecord ??= readRunRecord(this.store, this.flow, this.id, this.take('record'));
    if (!this.cachedRecord) throw new NotFoundError(`no run ${this.pathspec}`);
    return this.cachedRecord;
  }

  private get statusRecord(): RunStatusRecord | undefined {
    if (this.finalStatus) return this.finalStatus;
    const status = readRunStatus(this.store, this.flow, this.id, this.take('status'));
    if (status && status.status !== 'running') this.finalStatus = status;
    return status;
  }

  /** Why the run cannot be trusted (`run.json unreadable: ...`), or undefined when its records read well. */
  get damage(): string | undefined {
    for (const [file, read] of [
      ['run.json', () => this.record],
      ['status.json', () => this.statusRecord],
    ] as const) {
      try {
        read();
      } catch (e) {
        if (isDamaged(e)) return `${file} unreadable (${e.message.replace(/^damaged record \S+: /, '')})`;
        throw e;
      }
    }
    return undefined;
  }

  /** running, success, failed, killed (interrupted), crashed (its process is gone), or damaged (see `damage`). */
  get status(): RunStatus {
    if (this.damage) return 'damaged';
    const s = this.statusRecord;
    if (!s) return 'crashed';
    // Only a run started on this machine can be seen to have lost its process.
    if (s.status === 'running' && !s.engine && (!s.host || s.host === hostname()) && !processAlive(s.pid)) return 'crashed';
    return s.status;
  }

  get successful(): boolean {
    return this.status === 'success';
  }

  get finished(): boolean {
    return this.status !== 'running';
  }

  get createdAt(): Date {
    return new Date(this.record.createdAt);
  }

  get finishedAt(): Date | undefined {
    const s = this.statusRecord;
    return s?.finishedAt ? new Date(s.finishedAt) : undefined;
  }

  /** Whether the run carries the namespace's tag (always for null; a damaged run, whose tags cannot be read, is in every namespace). */
  isInNamespace(ns: string | null = getNamespace()): boolean {
    if (ns === null) return true;
    try {
      // System tags (user:NAME, project:...) cannot change: no need to read the user tags' changes.
      return this.record.systemTags.includes(ns) || this.tags.includes(ns);
    } catch (e) {
      if (isDamaged(e)) return true;
      throw e;
    }
  }

  /** User tags and system tags (`user:NAME`, `runtime:node-X`). */
  get tags(): string[] {
    return [...this.userTags, ...this.record.systemTags];
  }

  /**
   * The tags given with `--tag` and changed since (addTag, removeTag, `flowspec tag`), as they were
   * when this Run first read them (as Metaflow's Run): read again after this Run changes them, and
   * by a new Run object (`flow.run(id)`) for changes made elsewhere since.
   */
  get userTags(): string[] {
    this.cachedUserTags ??= currentUserTags(this.store, this.record, this.readAhead.page?.takeTagChanges(this.id));
    return [...this.cachedUserTags];
  }

  /** Records a change of the user tags; the next read of them sees it. */
  private changeTags(change: TagChange): void {
    changeTags(this.store, this.record, change);
    this.cachedUserTags = undefined;
  }

  /**
   * Adds user tags to the run (Metaflow's `add_tags`). Each change is a record of its own, so
   * changes made at once by several processes are all kept. System tags cannot be changed.
   */
  addTags(tags: string[]): void {
    this.changeTags({ add: tags, remove: [] });
  }

  addTag(tag: string): void {
    this.addTags([tag]);
  }

  /** Removes user tags (one the run does not have is ignored); a system tag is refused. */
  removeTags(tags: string[]): void {
    this.changeTags({ add: [], remove: tags });
  }

  removeTag(tag: string): void {
    this.removeTags([tag]);
  }

  /** Removes `remove` and adds `add` as one change: no reader sees one without the other. */
  replaceTags(remove: string[], add: string[]): void {
    this.changeTags({ add, remove });
  }

  replaceTag(remove: string, add: string): void {
    this.replaceTags([remove], [add]);
  }

  /** Tags the runtime adds: `user:NAME`, `runtime:node-X`. */
  get systemTags(): string[] {
    return [...this.record.systemTags];
  }

  /** Parameter name → value (a small one from the run record, the others from their blobs). */
  get parameters(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(this.record.parameters))
      out[name] =
        'value' in p
          ? structuredClone(p.value)
          : readArtifact(
              this.store,
              this.flow,
              p.hash,
              `parameter '${name}' of run ${this.pathspec}`,
              p.file ? undefined : this.readAhead.page?.parameterValue(p.hash),
            );
    return out;
  }

  /** The run's `Config` values (name → value), as its steps read them. */
  get configs(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, c] of Object.entries(this.record.configs ?? {}))
      out[name] = readArtifact(this.store, this.flow, c.hash, `config '${name}' of run ${this.pathspec}`);
    return out;
  }

  /** Config name → where its value came from (`default config.json`, `--config prod.json`, `run 3` for a resume...). */
  get configSources(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.record.configs ?? {}).map(([name, c]) => [name, c.source]));
  }

  /**
   * Parameter name → value, except an IncludeFile parameter's: an IncludedFileSummary (its file,
   * size and a preview), as listings show it (`flowspec runs`, the Runs view); its content can be large.
   */
  get parameterSummaries(): Record<string, unknown> {
    const records = Object.entries(this.record.parameters);
    const values = records.some(([, p]) => !p.file) ? this.parameters : {};
    return Object.fromEntries(
      records.map(([name, p]) => [
        name,
        p.file ? ({ file: p.file.path, size: p.file.size, preview: p.preview } satisfies IncludedFileSummary) : values[name],
      ]),
    );
  }

  /** Parameter name → where its value came from (default, command line, environment, params file, a run); an IncludeFile's names its file. */
  get parameterSources(): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.record.parameters).map(([name, p]) => [
        name,
        p.file ? `${p.source}: file ${p.file.path} (${p.file.size} bytes)` : p.source,
      ]),
    );
  }

  /**
   * Parameter name → the task and artifact of an earlier run its value came from (params-file
   * refs): follow these to trace a run's lineage.
   */
  get parameterRefs(): Record<string, { task: Task; artifact: string }> {
    const out: Record<string, { task: Task; artifact: string }> = {};
    for (const [name, p] of Object.entries(this.record.parameters)) {
      if (!p.ref) continue;
      const [flow, runId, step, id] = p.ref.task.split('/');
      out[name] = { task: new Task(this.store, flow, runId, step, id), artifact: p.ref.artifact };
    }
    return out;
  }

  /** The run this one resumed, if any. */
  get origin(): Run | undefined {
    return this.record.originRunId ? new Run(this.store, this.flow, this.record.originRunId) : undefined;
  }

  /** Steps that have tasks, in the order they were launched (task ids are given in launch order). */
  steps(): Step[] {
    const steps = this.store.list(keys.steps(this.flow, this.id)).map((name) => new Step(this.store, this.flow, this.id, name));
    const firstTask = new Map(steps.map((s) => [s.name, Math.min(...this.store.list(keys.tasks(this.flow, this.id, s.name)).map(Number))]));
    if ([...firstTask.values()].every(Number.isFinite)) return steps.sort((a, b) => firstTask.get(a.name)! - firstTask.get(b.name)!);
    // Task ids named by a remote engine (`t-0`) say nothing of launch order: use the graph's.
    const order = graphOrder(this.record.graph);
    return steps.sort((a, b) => (order.get(a.name) ?? Infinity) - (order.get(b.name) ?? Infinity) || a.name.localeCompare(b.name));
  }

  step(name: string): Step {
    if (this.store.list(keys.tasks(this.flow, this.id, name)).length === 0) throw new NotFoundError(`no step ${this.pathspec}/${name}`);
    return new Step(this.store, this.flow, this.id, name);
  }

  /** The `end` task's artifacts (none before the run reaches `end`: reading one throws, saying so). */
  get data(): Record<string, any> {
    const end = this.store.list(keys.tasks(this.flow, this.id, 'end'));
    if (end.length) return new Step(this.store, this.flow, this.id, 'end').task!.data;
    return artifactData(`run ${this.pathspec} (its end step has not run)`, [], () => undefined);
  }

  /** The task that ended the run, when there is one. */
  get endTask(): Task | undefined {
    return this.store.list(keys.tasks(this.flow, this.id, 'end')).length ? new Step(this.store, this.flow, this.id, 'end').task : undefined;
  }
}

/** Each step's place in the order the scheduler reaches the steps from `start` (a loop's way back is ignored). */
function graphOrder(graph: RunRecord['graph']): Map<string, number> {
  return new Map(stepOrder(successorsOf(graph), 'reached').map((step, i) => [step, i]));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
