// The client API (`import { Flow, Run, Step, Task } from 'flowspec/client'`): a read-only view of
// every past run in the datastore. Values load lazily, on first access.
import { hostname } from 'node:os';
import { datastoreRoot, openDatastore } from '../datastore';
import type { Datastore } from '../datastore';
import { ArtifactInfo, deserializeArtifact } from '../datastore/artifacts';
import { ExceptionRecord, keys, parseTaskPath, RunRecord, RunStatusRecord, TaskRecord } from '../datastore/records';
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

  constructor(readonly name: string, options: ClientOptions = {}) {
    this.store = storeOf(options);
  }

  /** Every flow that has runs in the datastore. */
  static list(options: ClientOptions = {}): Flow[] {
    const store = storeOf(options);
    return store.list('').filter((name) => !name.startsWith('.') && store.list(keys.runs(name)).length > 0).map((name) => new Flow(name, { datastore: store }));
  }

  get pathspec(): string {
    return this.name;
  }

  /** Runs, newest first; with `tags`, only runs that have all of them. */
  runs(filter: { tags?: string[] } = {}): Run[] {
    return this.store.list(keys.runs(this.name))
      .filter((id) => this.store.readJson(keys.runRecord(this.name, id)) !== undefined)
      .sort(byNumber)
      .reverse()
      .map((id) => new Run(this.store, this.name, id))
      .filter((run) => !filter.tags || filter.tags.every((t) => run.tags.includes(t)));
  }

  get latestRun(): Run | undefined {
    return this.runs()[0];
  }

  get latestSuccessfulRun(): Run | undefined {
    return this.runs().find((r) => r.successful);
  }

  run(id: string | number): Run {
    const run = new Run(this.store, this.name, String(id));
    if (!this.store.readJson(keys.runRecord(this.name, String(id)))) throw new NotFoundError(`no run ${this.name}/${id}`);
    return run;
  }
}

export type RunStatus = RunStatusRecord['status'] | 'crashed';

export class Run {
  private cachedRecord?: RunRecord;

  constructor(private readonly store: Datastore, readonly flow: string, readonly id: string) {}

  get pathspec(): string {
    return `${this.flow}/${this.id}`;
  }

  get record(): RunRecord {
    this.cachedRecord ??= this.store.readJson<RunRecord>(keys.runRecord(this.flow, this.id));
    if (!this.cachedRecord) throw new NotFoundError(`no run ${this.pathspec}`);
    return this.cachedRecord;
  }

  private get statusRecord(): RunStatusRecord | undefined {
    return this.store.readJson<RunStatusRecord>(keys.runStatus(this.flow, this.id));
  }

  /** running, success, failed, killed (interrupted), or crashed (its process is gone). */
  get status(): RunStatus {
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

  /** Parameter name → value. */
  get parameters(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(this.record.parameters)) out[name] = deserializeArtifact(this.store.getBlob(this.flow, p.hash));
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
  constructor(private readonly store: Datastore, readonly flow: string, readonly runId: string, readonly name: string) {}

  get pathspec(): string {
    return `${this.flow}/${this.runId}/${this.name}`;
  }

  /** Tasks in the order they were created (foreach tasks in split order). */
  tasks(): Task[] {
    return this.store.list(keys.tasks(this.flow, this.runId, this.name)).sort(byNumber).map((id) => new Task(this.store, this.flow, this.runId, this.name, id));
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

  constructor(private readonly store: Datastore, readonly flow: string, readonly runId: string, readonly step: string, readonly id: string) {}

  get pathspec(): string {
    return `${this.flow}/${this.runId}/${this.step}/${this.id}`;
  }

  /** The task's record; undefined while the task has not finished. */
  get record(): TaskRecord | undefined {
    if (!this.cachedRecord) this.cachedRecord = this.store.readJson<TaskRecord>(keys.taskRecord(this.flow, this.runId, this.step, this.id));
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
      out[name] = { name, ...info, get value() { return task.load(name); } };
    }
    return out;
  }

  /** `data.<name>` loads that artifact's value. */
  get data(): Record<string, any> {
    const artifacts = this.record?.artifacts ?? {};
    return new Proxy({}, {
      get: (_t, name) => (typeof name === 'string' && name in artifacts ? this.load(name) : undefined),
      has: (_t, name) => typeof name === 'string' && name in artifacts,
      ownKeys: () => Object.keys(artifacts),
      getOwnPropertyDescriptor: (_t, name) => (typeof name === 'string' && name in artifacts ? { enumerable: true, configurable: true, value: this.load(name) } : undefined),
    });
  }

  private load(name: string): unknown {
    if (!this.values.has(name)) {
      const info = this.record?.artifacts[name];
      if (!info) throw new NotFoundError(`task ${this.pathspec} has no artifact '${name}'`);
      this.values.set(name, deserializeArtifact(this.store.getBlob(this.flow, info.hash)));
    }
    return this.values.get(name);
  }

  private log(stream: 'stdout' | 'stderr'): string {
    const attempts = this.record ? [this.record.attempt] : this.attemptsOnDisk();
    const attempt = attempts[attempts.length - 1] ?? 0;
    return this.store.readFile(keys.log(this.flow, this.runId, this.step, this.id, attempt, stream))?.toString('utf8') ?? '';
  }

  private attemptsOnDisk(): number[] {
    return this.store.list(keys.task(this.flow, this.runId, this.step, this.id))
      .map((f) => /^attempt-(\d+)\./.exec(f)?.[1]).filter((n): n is string => n !== undefined).map(Number).sort((a, b) => a - b);
  }

  /** What the step printed to stdout (its last attempt). */
  get stdout(): string {
    return this.log('stdout');
  }

  get stderr(): string {
    return this.log('stderr');
  }

  /** The error of a failed task: type, message and stack (mapped to the flow's .ts lines). */
  get exception(): ExceptionRecord | undefined {
    return this.record?.exception;
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

/** Steps in dependency order from `start` (a step after every step that leads to it; a loop's way back is ignored). */
function graphOrder(graph: RunRecord['graph']): Map<string, number> {
  const preds = new Map<string, Set<string>>();
  for (const [step, t] of Object.entries(graph)) for (const target of t.targets) preds.set(target, (preds.get(target) ?? new Set()).add(step));
  const order = new Map<string, number>();
  const ready = ['start'];
  const reached = new Set(ready);
  while (ready.length || reached.size > order.size) {
    // Stuck only in a loop: take the first step reached but not placed.
    const step = ready.length ? ready.shift()! : [...reached].find((s) => !order.has(s))!;
    if (order.has(step)) continue;
    order.set(step, order.size);
    for (const target of graph[step]?.targets ?? []) {
      reached.add(target);
      if (!order.has(target) && [...(preds.get(target) ?? [])].every((p) => order.has(p))) ready.push(target);
    }
  }
  return order;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
