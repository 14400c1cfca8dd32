// The client API (`import { Flow, Run, Step, Task } from 'flowspec/client'`): a read-only view of
// every past run in the datastore. Values load lazily, on first access.
import { hostname } from 'node:os';
import { stepOrder, successorsOf } from '../../model/graph';
import { datastoreRoot, openDatastore } from '../datastore';
import type { Datastore } from '../datastore';
import { ArtifactInfo, deserializeArtifact } from '../datastore/artifacts';
import {
  ExceptionRecord,
  keys,
  parseTaskPath,
  readLog,
  readRunRecord,
  readRunStatus,
  readTaskRecord,
  RunRecord,
  RunStatusRecord,
  TaskRecord,
} from '../datastore/records';
import { checkIdentifier, identifierProblem } from '../datastore/names';
import { DamagedError, isDamaged } from '../errors';
import { hasCards, readCards, StoredCard } from '../cards/store';

export interface ClientOptions {
  /** Datastore root; default `FLOWSPEC_DATASTORE_ROOT` or `.flowspec/` in the cwd. */
  root?: string;
  datastore?: Datastore;
}

function storeOf(options: ClientOptions = {}): Datastore {
  return options.datastore ?? openDatastore(options.root ?? datastoreRoot());
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Run and task ids in order: numbers as numbers, also inside names (`t-2` before `t-10`). */
const byNumber = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export class Flow {
  private readonly store: Datastore;

  constructor(
    readonly name: string,
    options: ClientOptions = {},
  ) {
    checkIdentifier('flow name', name);
    this.store = storeOf(options);
  }

  /** Every flow that has runs in the datastore. */
  static list(options: ClientOptions = {}): Flow[] {
    const store = storeOf(options);
    return store
      .list('')
      .filter((name) => !name.startsWith('.') && identifierProblem(name) === undefined && store.list(keys.runs(name)).length > 0)
      .map((name) => new Flow(name, { datastore: store }));
  }

  get pathspec(): string {
    return this.name;
  }

  /**
   * Runs, newest first; with `tags`, only runs that have all of them. A damaged run (a record
   * that cannot be read) is listed with `status` 'damaged' and says why in `damage`; a tag filter
   * leaves it out.
   */
  runs(filter: { tags?: string[] } = {}): Run[] {
    return this.store
      .list(keys.runs(this.name))
      .filter((id) => identifierProblem(id) === undefined && this.store.readFile(keys.runRecord(this.name, id)) !== undefined)
      .sort(byNumber)
      .reverse()
      .map((id) => new Run(this.store, this.name, id))
      .filter((run) => !filter.tags || (!run.damage && filter.tags.every((t) => run.tags.includes(t))));
  }

  /** The newest run that is not damaged. */
  get latestRun(): Run | undefined {
    return this.runs().find((r) => !r.damage);
  }

  get latestSuccessfulRun(): Run | undefined {
    return this.runs().find((r) => r.successful);
  }

  /** The run `id`; reading a damaged one's record throws a DamagedError naming the file. */
  run(id: string | number): Run {
    const run = new Run(this.store, this.name, checkIdentifier('run id', String(id)));
    if (this.store.readFile(keys.runRecord(this.name, String(id))) === undefined) throw new NotFoundError(`no run ${this.name}/${id}`);
    return run;
  }
}

export type RunStatus = RunStatusRecord['status'] | 'crashed' | 'damaged';

export class Run {
  private cachedRecord?: RunRecord;

  constructor(
    private readonly store: Datastore,
    readonly flow: string,
    readonly id: string,
  ) {}

  get pathspec(): string {
    return `${this.flow}/${this.id}`;
  }

  get record(): RunRecord {
    this.cachedRecord ??= readRunRecord(this.store, this.flow, this.id);
    if (!this.cachedRecord) throw new NotFoundError(`no run ${this.pathspec}`);
    return this.cachedRecord;
  }

  private get statusRecord(): RunStatusRecord | undefined {
    return readRunStatus(this.store, this.flow, this.id);
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

  /** User tags and system tags (`user:NAME`, `runtime:node-X`). */
  get tags(): string[] {
    return [...this.record.tags, ...this.record.systemTags];
  }

  get userTags(): string[] {
    return [...this.record.tags];
  }

  /** Tags the runtime adds: `user:NAME`, `runtime:node-X`. */
  get systemTags(): string[] {
    return [...this.record.systemTags];
  }

  /** Parameter name → value. */
  get parameters(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(this.record.parameters))
      out[name] = readArtifact(this.store, this.flow, p.hash, `parameter '${name}' of run ${this.pathspec}`);
    return out;
  }

  /** Parameter name → where its value came from (default, command line, environment, params file, a run). */
  get parameterSources(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.record.parameters).map(([name, p]) => [name, p.source]));
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

  /** The `end` task's artifacts (empty before the run reaches `end`). */
  get data(): Record<string, any> {
    const end = this.store.list(keys.tasks(this.flow, this.id, 'end'));
    return end.length ? new Step(this.store, this.flow, this.id, 'end').task!.data : {};
  }

  /** The task that ended the run, when there is one. */
  get endTask(): Task | undefined {
    return this.store.list(keys.tasks(this.flow, this.id, 'end')).length ? new Step(this.store, this.flow, this.id, 'end').task : undefined;
  }
}

export class Step {
  constructor(
    private readonly store: Datastore,
    readonly flow: string,
    readonly runId: string,
    readonly name: string,
  ) {}

  get pathspec(): string {
    return `${this.flow}/${this.runId}/${this.name}`;
  }

  /** Tasks in the order they were created (foreach tasks in split order). */
  tasks(): Task[] {
    return this.store
      .list(keys.tasks(this.flow, this.runId, this.name))
      .sort(byNumber)
      .map((id) => new Task(this.store, this.flow, this.runId, this.name, id));
  }

  /** The step's task (the first one, for a step with several). */
  get task(): Task | undefined {
    return this.tasks()[0];
  }
}

export interface ArtifactView extends ArtifactInfo {
  name: string;
  /** The value, loaded on access. */
  readonly value: unknown;
}

export class Task {
  private cachedRecord?: TaskRecord;
  private values = new Map<string, unknown>();

  constructor(
    private readonly store: Datastore,
    readonly flow: string,
    readonly runId: string,
    readonly step: string,
    readonly id: string,
  ) {}

  get pathspec(): string {
    return `${this.flow}/${this.runId}/${this.step}/${this.id}`;
  }

  /** The task's record; undefined while the task has not finished. */
  get record(): TaskRecord | undefined {
    if (!this.cachedRecord) this.cachedRecord = readTaskRecord(this.store, this.flow, this.runId, this.step, this.id);
    return this.cachedRecord;
  }

  get finished(): boolean {
    return this.record !== undefined;
  }

  get successful(): boolean {
    return this.record?.status === 'success';
  }

  get startedAt(): Date | undefined {
    return this.record ? new Date(this.record.startedAt) : undefined;
  }

  get finishedAt(): Date | undefined {
    return this.record ? new Date(this.record.finishedAt) : undefined;
  }

  /** Attempt number of the recorded attempt (0 unless retried). */
  get retryCount(): number {
    return this.record?.attempt ?? 0;
  }

  /** Position in the enclosing foreach, if any. */
  get index(): number | undefined {
    return this.record?.splitIndex;
  }

  /** Artifact name → its description; `.value` loads it. */
  get artifacts(): Record<string, ArtifactView> {
    const out: Record<string, ArtifactView> = {};
    for (const [name, info] of Object.entries(this.record?.artifacts ?? {})) {
      const task = this;
      out[name] = {
        name,
        ...info,
        get value() {
          return task.load(name);
        },
      };
    }
    return out;
  }

  /** `data.<name>` loads that artifact's value. */
  get data(): Record<string, any> {
    const artifacts = this.record?.artifacts ?? {};
    return new Proxy(
      {},
      {
        get: (_t, name) => (typeof name === 'string' && name in artifacts ? this.load(name) : undefined),
        has: (_t, name) => typeof name === 'string' && name in artifacts,
        ownKeys: () => Object.keys(artifacts),
        getOwnPropertyDescriptor: (_t, name) =>
          typeof name === 'string' && name in artifacts ? { enumerable: true, configurable: true, value: this.load(name) } : undefined,
      },
    );
  }

  private load(name: string): unknown {
    if (!this.values.has(name)) {
      const info = this.record?.artifacts[name];
      if (!info) throw new NotFoundError(`task ${this.pathspec} has no artifact '${name}'`);
      this.values.set(name, readArtifact(this.store, this.flow, info.hash, `artifact '${name}' of task ${this.pathspec}`));
    }
    return this.values.get(name);
  }

  /** The attempt the task's logs and metadata are of: the recorded one, else the latest started. */
  private get lastAttempt(): number {
    return this.record?.attempt ?? this.attemptsOnDisk().pop() ?? 0;
  }

  private log(stream: 'stdout' | 'stderr'): string {
    return readLog(this.store, { flow: this.flow, runId: this.runId, step: this.step, taskId: this.id }, this.lastAttempt, stream);
  }

  /**
   * Facts of where the task ran, from the engine that ran it: on Slurm `slurm-job-id` (`12_3`
   * for an array element), `slurm-node`, and `slurm-state` / `slurm-reason` as Slurm reported
   * them last (also while the job is pending or running). {} for a local task.
   */
  get metadata(): Record<string, string> {
    const launched = this.store.readJson<Record<string, string>>(
      keys.attemptMetadata(this.flow, this.runId, this.step, this.id, this.lastAttempt),
    );
    return { ...launched, ...this.record?.metadata };
  }

  private attemptsOnDisk(): number[] {
    return this.store
      .list(keys.task(this.flow, this.runId, this.step, this.id))
      .map((f) => /^attempt-(\d+)\./.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** What the step printed to stdout (its last attempt). */
  get stdout(): string {
    return this.log('stdout');
  }

  get stderr(): string {
    return this.log('stderr');
  }

  /**
   * The error of a failed task: type, message and stack (mapped to the flow's .ts lines); null
   * when the task succeeded, also when @catchError handled its error (see `attempts()`).
   */
  get exception(): ExceptionRecord | null {
    return this.record?.exception ?? null;
  }

  /** Every recorded attempt of the task, first to last (a retried task has several). */
  attempts(): TaskAttempt[] {
    return this.attemptsOnDisk()
      .filter((n, i, all) => all.indexOf(n) === i)
      .flatMap((n) => {
        const record = this.store.readJson<TaskRecord>(keys.attemptRecord(this.flow, this.runId, this.step, this.id, n));
        return record ? [new TaskAttempt(this.store, record)] : [];
      });
  }

  /** The task's cards (`@card`): id, type, data (the components) and html (a page that opens offline). */
  get cards(): StoredCard[] {
    return readCards(this.store, { flow: this.flow, runId: this.runId, step: this.step, taskId: this.id });
  }

  /** Whether the task has stored a card (without reading them). */
  get hasCards(): boolean {
    return hasCards(this.store, { flow: this.flow, runId: this.runId, step: this.step, taskId: this.id });
  }

  /** For a task cloned by resume: the task it was copied from. */
  get origin(): Task | undefined {
    const origin = this.record?.origin;
    if (!origin) return undefined;
    const [flow, runId, step, id] = origin.split('/');
    return new Task(this.store, flow, runId, step, id);
  }

  /** The tasks this one took its inputs from. */
  get parentTasks(): Task[] {
    return (this.record?.inputPaths ?? []).map((p) => {
      const { runId, step, taskId } = parseTaskPath(p);
      return new Task(this.store, this.flow, runId, step, taskId);
    });
  }

  /** The tasks that took this one as an input. */
  get childTasks(): Task[] {
    const me = `${this.runId}/${this.step}/${this.id}`;
    const next = this.record?.next;
    if (!next || next.kind === 'end') return [];
    const steps = next.kind === 'switch' ? [next.chosen!] : next.targets;
    return steps.flatMap((s) => new Step(this.store, this.flow, this.runId, s).tasks()).filter((t) => t.record?.inputPaths.includes(me));
  }
}

/** One attempt of a task: whether it succeeded, its error, its output. */
export class TaskAttempt {
  constructor(
    private readonly store: Datastore,
    private readonly record: TaskRecord,
  ) {}

  get attempt(): number {
    return this.record.attempt;
  }

  get successful(): boolean {
    return this.record.status === 'success';
  }

  get exception(): ExceptionRecord | null {
    return this.record.exception ?? null;
  }

  get stdout(): string {
    return this.log('stdout');
  }

  get stderr(): string {
    return this.log('stderr');
  }

  private log(stream: 'stdout' | 'stderr'): string {
    return readLog(this.store, this.record, this.record.attempt, stream);
  }
}

/** Each step's place in the order the scheduler reaches the steps from `start` (a loop's way back is ignored). */
function graphOrder(graph: RunRecord['graph']): Map<string, number> {
  return new Map(stepOrder(successorsOf(graph), 'reached').map((step, i) => [step, i]));
}

/** A stored value; a damaged blob throws a DamagedError naming `what` and the file. */
function readArtifact(store: Datastore, flow: string, hash: string, what: string): unknown {
  try {
    return deserializeArtifact(store.getBlob(flow, hash));
  } catch (e) {
    if (isDamaged(e)) throw new DamagedError(`cannot read ${what}: ${e.message}`, e.file);
    throw e;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
