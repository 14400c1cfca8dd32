// The client API's Task and TaskAttempt: one task's artifacts, logs, cards, lineage and attempts.
import type { Datastore } from '../datastore';
import { ArtifactInfo } from '../datastore/artifacts';
import { ExceptionRecord, keys, parseTaskPath, readLog, readRunRecord, readTaskRecord, TaskRecord } from '../datastore/records';
import { hasCards, readCards, StoredCard } from '../cards/store';
import { artifactData, NotFoundError, readArtifact, taskIds } from './reading';

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

  /** The task's artifacts by name, each loaded when read (reading.ts's `artifactData`). */
  get data(): Record<string, any> {
    return artifactData(`task ${this.pathspec}`, Object.keys(this.record?.artifacts ?? {}), (name) => this.load(name));
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
    return this.record?.attempt ?? this.attemptNumbers().pop() ?? 0;
  }

  /**
   * What an attempt of the task printed to `stream` (default: its latest attempt); '' when it
   * printed nothing. A task cloned by resume has the output of the task it was copied from.
   */
  log(stream: 'stdout' | 'stderr', attempt?: number): string {
    const origin = this.origin;
    if (origin && !this.attemptNumbers().length) return origin.log(stream, attempt);
    const task = { flow: this.flow, runId: this.runId, step: this.step, taskId: this.id };
    return readLog(this.store, task, attempt ?? this.lastAttempt, stream);
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

  /** The attempts that started (have a record or output), first to last: [0], or [0, 1, 2] when retried. */
  attemptNumbers(): number[] {
    const numbers = this.store
      .list(keys.task(this.flow, this.runId, this.step, this.id))
      .map((f) => /^attempt-(\d+)\./.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    return [...new Set(numbers)].sort((a, b) => a - b);
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
    return this.attemptNumbers().flatMap((n) => {
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

  /** For a spun task (`flowspec spin`): the task of the earlier run whose inputs it ran with. */
  get spunFrom(): Task | undefined {
    const origin = readRunRecord(this.store, this.flow, this.runId)?.spin?.task;
    if (!origin) return undefined;
    const { runId, step, taskId } = parseTaskPath(origin.split('/').slice(1).join('/'));
    return new Task(this.store, this.flow, runId, step, taskId);
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
    return steps
      .flatMap((s) => taskIds(this.store, this.flow, this.runId, s).map((id) => new Task(this.store, this.flow, this.runId, s, id)))
      .filter((t) => t.record?.inputPaths.includes(me));
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
