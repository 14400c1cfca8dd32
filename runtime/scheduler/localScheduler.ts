// The local scheduler: follows the transitions tasks report, launching each next task on a warm
// worker, up to `maxWorkers` at once. Joins wait until every task of the split they close has
// finished. A foreach is fanned out lazily, so a split of 10,000 items costs memory only for the
// tasks in flight and the join's list of inputs.
import type { Datastore } from '../datastore';
import { keys, taskPath, TaskRecord } from '../datastore/records';
import { timeoutMs } from '../flow/decorators';
import type { FlowInfo } from '../flowcode/introspect';
import type { TaskSpec } from '../task/runTask';
import { childStack, joinKey } from '../task/stack';
import { TaskHandle, WorkerPool } from './workerPool';

interface Launch { kind: 'launch'; step: string; inputPaths: string[]; splitIndex?: number; taskId?: string; retryCount: number }
interface Fanout { kind: 'fanout'; parent: TaskRecord; target: string; count: number; next: number }
type QueueItem = Launch | Fanout;

interface Barrier { needed: number; inputs: Array<string | undefined>; arrived: number }

export interface SchedulerEvents {
  /** A line of output (or a status line) of a task. */
  line(prefix: string, stream: 'stdout' | 'stderr', text: string): void;
  taskFinished?(record: TaskRecord): void;
}

export interface SchedulerOptions {
  datastore: Datastore;
  flow: FlowInfo;
  runId: string;
  pool: WorkerPool;
  maxWorkers: number;
  events: SchedulerEvents;
  /** Tasks of the run already done (resume): launched tasks whose records exist are not rerun. */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunOutcome { success: boolean; failed: TaskRecord[]; tasks: number }

export class LocalScheduler {
  private queue: QueueItem[] = [];
  private barriers = new Map<string, Barrier>();
  private running = new Map<string, TaskHandle>();
  private nextTaskId = 1;
  private failed: TaskRecord[] = [];
  private finished = 0;
  private waitingRetries = 0;
  private stopping = false;
  private abortRequested = false;
  private wake: (() => void) | undefined;

  constructor(private readonly o: SchedulerOptions) {}

  async run(start: Launch = { kind: 'launch', step: 'start', inputPaths: [], retryCount: 0 }): Promise<RunOutcome> {
    this.queue.push(start);
    while (true) {
      while (!this.stopping && this.running.size < this.o.maxWorkers && this.queue.length) this.launch(this.dequeue());
      if (this.running.size === 0 && this.waitingRetries === 0 && (this.stopping || this.queue.length === 0)) break;
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
    return { success: this.failed.length === 0 && !this.stopping, failed: this.failed, tasks: this.finished };
  }

  get aborted(): boolean {
    return this.abortRequested;
  }

  /** One line for long runs: how far the run is. */
  progressLine(): string {
    const waiting = this.queue.reduce((n, q) => n + (q.kind === 'fanout' ? q.count - q.next : 1), 0);
    return `${this.finished} tasks finished, ${this.running.size} running, ${waiting} waiting`;
  }

  /** Stops launching tasks and kills the running ones (Ctrl-C). */
  abort(): void {
    this.abortRequested = true;
    this.stopping = true;
    for (const handle of this.running.values()) handle.kill();
  }

  private dequeue(): Launch {
    const item = this.queue[0];
    if (item.kind === 'launch') return this.queue.shift() as Launch;
    const index = item.next++;
    if (item.next >= item.count) this.queue.shift();
    return { kind: 'launch', step: item.target, inputPaths: [taskPath(item.parent.runId, item.parent.step, item.parent.taskId)], splitIndex: index, retryCount: 0 };
  }

  private launch(l: Launch): void {
    const taskId = l.taskId ?? String(this.nextTaskId++);
    const spec: TaskSpec = { flow: this.o.flow.name, runId: this.o.runId, step: l.step, taskId, inputPaths: l.inputPaths, splitIndex: l.splitIndex, retryCount: l.retryCount };
    let prefix = '';
    const partial = { stdout: '', stderr: '' };
    const onLog = (stream: 'stdout' | 'stderr', text: string) => {
      const lines = (partial[stream] + text).split('\n');
      partial[stream] = lines.pop()!;
      for (const line of lines) this.o.events.line(prefix, stream, line);
    };
    const handle = this.o.pool.run(spec, onLog);
    prefix = `[${this.o.runId}/${l.step}/${taskId} (pid ${handle.pid})]`;
    this.o.events.line(prefix, 'stdout', l.retryCount ? `Task is starting (retry ${l.retryCount}).` : 'Task is starting.');
    this.running.set(taskId, handle);
    const limit = timeoutMs(this.o.flow.steps.get(l.step)?.meta.timeout);
    let timedOut = false;
    const timer = limit ? setTimeout(() => { timedOut = true; handle.kill(); }, limit) : undefined;
    handle.outcome.then((outcome) => {
      clearTimeout(timer);
      for (const stream of ['stdout', 'stderr'] as const) if (partial[stream]) onLog(stream, '\n');
      this.running.delete(taskId);
      const record = outcome.record ?? this.recordDeath(spec, handle.pid, timedOut ? `timed out after ${limit! / 1000} s and was killed` : outcome.died!);
      if (!outcome.record) this.o.events.line(prefix, 'stderr', `${record.exception!.type}: ${record.exception!.message}`);
      this.finished++;
      this.o.events.taskFinished?.(record);
      if (record.status === 'success') {
        this.o.events.line(prefix, 'stdout', 'Task finished successfully.');
        if (!this.stopping) this.follow(record);
      } else {
        this.onFailure(l, taskId, record, prefix);
      }
      this.wake?.();
    });
  }

  private onFailure(l: Launch, taskId: string, record: TaskRecord, prefix: string): void {
    const retry = this.o.flow.steps.get(l.step)?.meta.retry;
    if (!this.stopping && retry && l.retryCount < (retry.times ?? 0)) {
      const delay = (retry.minutesBetweenRetries ?? 0) * 60_000;
      this.o.events.line(prefix, 'stderr', `Task failed; retrying (attempt ${l.retryCount + 2} of ${(retry.times ?? 0) + 1})${delay ? ` in ${delay / 60_000} min` : ''}.`);
      this.waitingRetries++;
      const requeue = () => { this.waitingRetries--; this.queue.unshift({ ...l, taskId, retryCount: l.retryCount + 1 }); this.wake?.(); };
      if (delay) setTimeout(requeue, delay); else requeue();
      return;
    }
    this.o.events.line(prefix, 'stderr', 'Task failed.');
    this.failed.push(record);
    this.stopping = true;
  }

  /** Writes the record of a task whose worker died before it could write one itself. */
  private recordDeath(spec: TaskSpec, pid: number, how: string): TaskRecord {
    const now = new Date().toISOString();
    const record: TaskRecord = {
      flow: spec.flow, runId: spec.runId, step: spec.step, taskId: spec.taskId, attempt: spec.retryCount,
      status: 'failed', startedAt: now, finishedAt: now, pid, inputPaths: spec.inputPaths, splitIndex: spec.splitIndex,
      stack: [], artifacts: {},
      exception: { type: how.startsWith('timed out') ? 'TimeoutError' : 'TaskCrashed', message: `the task's process ${how}` },
    };
    const { flow, runId, step, taskId, attempt } = record;
    this.o.datastore.writeJson(keys.attemptRecord(flow, runId, step, taskId, attempt), record);
    this.o.datastore.writeJson(keys.taskRecord(flow, runId, step, taskId), record);
    return record;
  }

  private follow(parent: TaskRecord): void {
    const next = parent.next!;
    switch (next.kind) {
      case 'end': return;
      case 'linear': return this.reach(parent, next.targets[0]);
      case 'switch': return this.reach(parent, next.chosen!);
      case 'branch': for (const t of next.targets) this.reach(parent, t); return;
      case 'foreach':
        if (this.o.flow.steps.get(next.targets[0])?.isJoin) throw new Error(`foreach of '${parent.step}' goes straight into a join`);
        this.queue.push({ kind: 'fanout', parent, target: next.targets[0], count: next.foreachCount!, next: 0 });
    }
  }

  private reach(parent: TaskRecord, target: string): void {
    const path = taskPath(parent.runId, parent.step, parent.taskId);
    if (!this.o.flow.steps.get(target)?.isJoin) {
      this.queue.push({ kind: 'launch', step: target, inputPaths: [path], retryCount: 0 });
      return;
    }
    // A join closes the innermost split around its parent: wait for every task of that split.
    const frames = childStack(parent, target, false);
    const closing = frames[frames.length - 1];
    if (!closing) throw new Error(`join '${target}' is reached by '${parent.step}' outside of any split`);
    const key = joinKey(target, frames.slice(0, -1));
    let barrier = this.barriers.get(key);
    if (!barrier) this.barriers.set(key, (barrier = { needed: closing.count, inputs: new Array(closing.count), arrived: 0 }));
    barrier.inputs[closing.index] = path;
    barrier.arrived++;
    if (barrier.arrived === barrier.needed) {
      this.barriers.delete(key);
      this.queue.push({ kind: 'launch', step: target, inputPaths: barrier.inputs as string[], retryCount: 0 });
    }
  }
}
