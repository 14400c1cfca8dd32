// The local scheduler: follows the transitions tasks report, launching each next task on a warm
// worker, up to `maxWorkers` at once. Joins wait until every task of the split they close has
// finished. A foreach is fanned out lazily, so a split of 10,000 items costs memory only for the
// tasks in flight and the join's list of inputs. The N tasks of a @parallel step (a numParallel
// split) are a gang: they start together, beyond `maxWorkers` if need be, since each waits for
// the others; when one fails for good, the others are stopped.
import { TASK_EVENTS, taskPrefix } from '../../model/runLog';
import { positionKey } from './resumePlan';
import type { Datastore } from '../datastore';
import {
  keys,
  parseTaskPath,
  readRunRecord,
  readTaskRecord,
  SplitFrame,
  taskPath,
  TaskRecord,
  writeTaskRecord,
} from '../datastore/records';
import { caughtRecord } from '../task/caught';
import { TIMEOUT_KILL_GRACE_MS, timeoutMs } from '../flow/decorators';
import type { FlowInfo } from '../flowcode/introspect';
import type { TaskSpec } from '../task/runTask';
import { childStack, joinKey } from '../task/stack';
import type { TaskExecutor, TaskHandle, TaskOutcome } from './executor';

/** A task that ran for less than this (ms) may have the next task of its step wait behind it (`mayWait`). */
const SHORT_TASK_MS = 100;

export interface Launch {
  kind: 'launch';
  step: string;
  inputPaths: string[];
  /** The split frames the task will have (what resume matches tasks by). */
  stack: SplitFrame[];
  splitIndex?: number;
  taskId?: string;
  retryCount: number;
}
interface Fanout {
  kind: 'fanout';
  parent: TaskRecord;
  target: string;
  count: number;
  next: number;
}
type QueueItem = Launch | Fanout;

interface Barrier {
  needed: number;
  inputs: Array<string | undefined>;
  arrived: number;
}

export interface SchedulerEvents {
  /** A line of output (or a status line) of a task. */
  line(prefix: string, stream: 'stdout' | 'stderr', text: string): void;
}

export interface SchedulerOptions {
  datastore: Datastore;
  flow: FlowInfo;
  runId: string;
  /** Where tasks run: the local worker pool or a cluster. */
  executor: TaskExecutor;
  maxWorkers: number;
  events: SchedulerEvents;
  /** Resume: gives the record of an earlier task to reuse instead of running this one. */
  reuse?: (launch: Launch, occurrence: number) => TaskRecord | undefined;
  /** `--until STEP`: follow no transition out of this step. */
  until?: string;
  /** The task to begin with instead of `start` (a spin: one task, with `until` its step). */
  first?: Launch;
}

export interface RunOutcome {
  success: boolean;
  failed: TaskRecord[];
  /** Tasks that ran or were cloned, each once however many attempts it took. */
  tasks: number;
}

export class LocalScheduler {
  private queue: QueueItem[] = [];
  private barriers = new Map<string, Barrier>();
  private running = new Map<string, { handle: TaskHandle; launch: Launch }>();
  private nextTaskId = 1;
  private failed: TaskRecord[] = [];
  /** Tasks done for good: succeeded, cloned, or failed with no retry left (attempts are not counted). */
  private finished = 0;
  private waitingRetries = 0;
  private stopping = false;
  private abortRequested = false;
  private wake: (() => void) | undefined;
  /** An error of the scheduler itself (a record it could not write): ends the run. */
  private fatal: unknown;

  constructor(private readonly o: SchedulerOptions) {}

  async run(): Promise<RunOutcome> {
    this.queue.push(this.o.first ?? { kind: 'launch', step: 'start', inputPaths: [], stack: [], retryCount: 0 });
    while (true) {
      while (!this.stopping && this.queue.length) {
        const head = this.queue[0];
        if (this.running.size < this.o.maxWorkers) {
          if (head.kind === 'fanout' && head.parent.next?.numParallel !== undefined) {
            while (this.queue[0] === head) this.launch(this.dequeue());
          } else {
            this.launch(this.dequeue(), this.mayWait(head));
          }
        } else if (this.mayWait(head) && this.o.executor.canWait?.()) {
          this.launch(this.dequeue(), true);
        } else {
          break;
        }
      }
      if (this.running.size === 0 && this.waitingRetries === 0 && (this.stopping || this.queue.length === 0)) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    if (this.fatal) throw this.fatal;
    return { success: this.failed.length === 0 && !this.stopping, failed: this.failed, tasks: this.finished };
  }

  /** How long the last task of each step ran (ms), from its start to its record. */
  private lastDuration = new Map<string, number>();

  /**
   * Whether the next task may wait behind a running one (or have one wait behind it), on its
   * worker, to start the moment that one ends: a worker then does not sit idle for the round trip
   * to the scheduler, most of a trivial task's time. Only a task of a step whose last task was
   * short (a long one behind which another waited would hold it back), with no @timeout (its time
   * would run from its handing over), and not of a gang (its nodes start together).
   */
  private mayWait(head: QueueItem): boolean {
    const step = head.kind === 'fanout' ? head.target : head.step;
    if (head.kind === 'fanout' ? head.parent.next?.numParallel !== undefined : head.stack[head.stack.length - 1]?.parallel) return false;
    if (!((this.lastDuration.get(step) ?? Infinity) < SHORT_TASK_MS)) return false;
    return timeoutMs(this.o.flow.steps.get(step)?.meta.timeout) === undefined;
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
    for (const { handle } of this.running.values()) handle.kill();
  }

  private dequeue(): Launch {
    const item = this.queue[0];
    if (item.kind === 'launch') return this.queue.shift() as Launch;
    const index = item.next++;
    if (item.next >= item.count) this.queue.shift();
    return {
      kind: 'launch',
      step: item.target,
      inputPaths: [taskPath(item.parent.runId, item.parent.step, item.parent.taskId)],
      stack: childStack(item.parent, item.target, false, index),
      splitIndex: index,
      retryCount: 0,
    };
  }

  private launch(l: Launch, mayWait = false): void {
    const taskId = l.taskId ?? String(this.nextTaskId++);
    if (l.retryCount === 0 && this.o.reuse && this.reuseTask(l, taskId)) return;
    const spec: TaskSpec = {
      flow: this.o.flow.name,
      runId: this.o.runId,
      step: l.step,
      taskId,
      inputPaths: l.inputPaths,
      splitIndex: l.splitIndex,
      retryCount: l.retryCount,
    };
    let prefix = '';
    // Output that comes before the task's start is reported (a task that waited starts as a message ends) waits for it.
    let early: Array<['stdout' | 'stderr', string]> | undefined;
    const partial = { stdout: '', stderr: '' };
    const onLog = (stream: 'stdout' | 'stderr', text: string) => {
      const lines = (partial[stream] + text).split('\n');
      partial[stream] = lines.pop()!;
      for (const line of lines) {
        if (prefix) this.o.events.line(prefix, stream, line);
        else (early ??= []).push([stream, line]);
      }
    };
    const handle = this.o.executor.run(spec, onLog, mayWait);
    this.running.set(taskId, { handle, launch: l });
    // The task raises @timeout in the step itself (task/stepTimeout.ts); a step blocked in native
    // code cannot be interrupted, so its process is killed a little later. (A task with one never waits.)
    const limit = this.o.executor.enforcesTimeouts ? undefined : timeoutMs(this.o.flow.steps.get(l.step)?.meta.timeout);
    let timedOut = false;
    const timer = limit
      ? setTimeout(() => {
          timedOut = true;
          handle.kill();
        }, limit + TIMEOUT_KILL_GRACE_MS)
      : undefined;
    const task = { runId: this.o.runId, step: l.step, taskId };
    const place = handle.slurmJob
      ? handle.slurmJob.then((slurmJob) => ({ ...task, slurmJob }))
      : (handle.started ?? Promise.resolve(true)).then((ran) => (ran ? { ...task, pid: handle.pid } : undefined));
    let startedAt = 0;
    place
      .then((where) => {
        if (!where) return handle.outcome;
        startedAt = Date.now();
        prefix = taskPrefix(where);
        this.o.events.line(prefix, 'stdout', TASK_EVENTS.starting(l.retryCount));
        for (const [stream, line] of early ?? []) this.o.events.line(prefix, stream, line);
        early = undefined;
        return handle.outcome;
      })
      .then((outcome) => {
        clearTimeout(timer);
        this.running.delete(taskId);
        if (outcome.notStarted) return this.wake?.();
        this.lastDuration.set(l.step, Date.now() - startedAt);
        for (const stream of ['stdout', 'stderr'] as const) if (partial[stream]) onLog(stream, '\n');
        let record =
          outcome.record ??
          this.recordDeath(
            spec,
            l.stack,
            handle.pid,
            timedOut
              ? {
                  died: `did not yield to its @timeout of ${limit! / 1000} s (a blocking call such as execSync holds it) and was killed ${TIMEOUT_KILL_GRACE_MS / 1000} s later; what the step assigned is lost`,
                }
              : outcome,
            timedOut,
          );
        if (!outcome.record) {
          this.o.events.line(prefix, 'stderr', `${record.exception!.type}: ${record.exception!.message}`);
          record = this.catchDeath(record, prefix);
        }
        if (record.status === 'success') {
          this.finished++;
          this.o.events.line(prefix, 'stdout', TASK_EVENTS.succeeded);
          if (!this.stopping) this.followOrFail(record, prefix);
        } else {
          this.onFailure(l, taskId, record, prefix);
        }
        this.wake?.();
      })
      .catch((e) => this.stop(e));
  }

  /** Ends the run on an error of the scheduler's own (a full disk): no more tasks, the running ones killed. */
  private stop(error: unknown): void {
    this.fatal ??= error;
    this.stopping = true;
    for (const { handle } of this.running.values()) handle.kill();
    this.wake?.();
  }

  /** Occurrences of each (step, position) so far: a switch loop visits the same position again. */
  private occurrences = new Map<string, number>();

  private reuseTask(l: Launch, taskId: string): boolean {
    const key = positionKey(l.step, l.stack);
    const occurrence = this.occurrences.get(key) ?? 0;
    this.occurrences.set(key, occurrence + 1);
    const origin = this.o.reuse!(l, occurrence);
    if (!origin) return false;
    const record: TaskRecord = {
      ...origin,
      runId: this.o.runId,
      taskId,
      inputPaths: l.inputPaths,
      stack: l.stack,
      origin: `${origin.flow}/${origin.runId}/${origin.step}/${origin.taskId}`,
    };
    this.o.datastore.writeJson(keys.taskRecord(record.flow, record.runId, record.step, record.taskId), record);
    const prefix = taskPrefix({ runId: this.o.runId, step: l.step, taskId });
    this.o.events.line(prefix, 'stdout', TASK_EVENTS.cloned(record.origin!));
    this.finished++;
    this.followOrFail(record, prefix);
    return true;
  }

  private onFailure(l: Launch, taskId: string, record: TaskRecord, prefix: string): void {
    const retry = this.o.flow.steps.get(l.step)?.meta.retry;
    if (!this.stopping && retry && l.retryCount < (retry.times ?? 0)) {
      // Metaflow's local runtime retries at once; wait only when the user asked for a delay.
      const delay = (retry.minutesBetweenRetries ?? 0) * 60_000;
      this.o.events.line(prefix, 'stderr', TASK_EVENTS.retrying(l.retryCount + 2, (retry.times ?? 0) + 1, delay / 60_000));
      this.waitingRetries++;
      const requeue = () => {
        this.waitingRetries--;
        this.queue.unshift({ ...l, taskId, retryCount: l.retryCount + 1 });
        this.wake?.();
      };
      if (delay) setTimeout(requeue, delay);
      else requeue();
      return;
    }
    this.finished++;
    this.o.events.line(prefix, 'stderr', TASK_EVENTS.failed);
    this.failed.push(record);
    this.stopping = true;
    this.stopGang(l);
  }

  /** A node of a @parallel gang failed for good: its running peers would wait for it forever. */
  private stopGang(failed: Launch): void {
    const frame = failed.stack[failed.stack.length - 1];
    if (!frame?.parallel) return;
    const gang = joinKey(failed.step, failed.stack.slice(0, -1));
    for (const { handle, launch } of this.running.values()) {
      if (launch.step === failed.step && joinKey(launch.step, launch.stack.slice(0, -1)) === gang) handle.kill();
    }
  }

  /** A crash or timeout on the last attempt of a @catchError step is caught like an error. */
  private catchDeath(failed: TaskRecord, prefix: string): TaskRecord {
    const step = this.o.flow.steps.get(failed.step)!;
    const { catchError, retry } = step.meta;
    if (!catchError || failed.attempt < (retry?.times ?? 0)) return failed;
    const ds = this.o.datastore;
    const run = readRunRecord(ds, failed.flow, failed.runId)!;
    const parents = failed.inputPaths.map((p) => {
      const { runId, step: s, taskId } = parseTaskPath(p);
      return readTaskRecord(ds, failed.flow, runId, s, taskId)!;
    });
    const caught = caughtRecord(ds, failed, run, catchError, { parents, isJoin: step.isJoin });
    if (!caught) return failed;
    writeTaskRecord(ds, caught);
    this.o.events.line(
      prefix,
      'stderr',
      `The error is caught by @catchError${catchError.var ? ` in '${catchError.var}'` : ''}; the run goes on.`,
    );
    return caught;
  }

  /** Writes the record of a task whose worker died before it could write one itself. */
  private recordDeath(spec: TaskSpec, stack: SplitFrame[], pid: number, death: TaskOutcome, timedOut: boolean): TaskRecord {
    const now = new Date().toISOString();
    const record: TaskRecord = {
      flow: spec.flow,
      runId: spec.runId,
      step: spec.step,
      taskId: spec.taskId,
      attempt: spec.retryCount,
      status: 'failed',
      startedAt: now,
      finishedAt: now,
      pid,
      inputPaths: spec.inputPaths,
      splitIndex: spec.splitIndex,
      // The frames the launch computed: a join (or @catchError) must see where the task sat.
      stack,
      artifacts: {},
      exception: death.exception ?? { type: timedOut ? 'TimeoutError' : 'TaskCrashed', message: `the task's process ${death.died}` },
      ...(death.metadata ? { metadata: death.metadata } : {}),
    };
    writeTaskRecord(this.o.datastore, record);
    return record;
  }

  /** Follows a task's transition; one the graph cannot take (checked before runs, so rare) fails the run. */
  private followOrFail(record: TaskRecord, prefix: string): void {
    try {
      this.follow(record);
    } catch (e) {
      this.o.events.line(prefix, 'stderr', `cannot go on from '${record.step}': ${(e as Error).message}`);
      this.failed.push({ ...record, status: 'failed', exception: { type: 'TransitionError', message: (e as Error).message } });
      this.stopping = true;
    }
  }

  private follow(parent: TaskRecord): void {
    if (parent.step === this.o.until) return;
    const next = parent.next!;
    switch (next.kind) {
      case 'end':
        return;
      case 'linear':
        return this.reach(parent, next.targets[0]);
      case 'switch':
        return this.reach(parent, next.chosen!);
      case 'branch':
        for (const t of next.targets) this.reach(parent, t);
        return;
      case 'foreach':
        if (this.o.flow.steps.get(next.targets[0])?.isJoin) throw new Error(`foreach of '${parent.step}' goes straight into a join`);
        this.queue.push({ kind: 'fanout', parent, target: next.targets[0], count: next.foreachCount!, next: 0 });
    }
  }

  private reach(parent: TaskRecord, target: string): void {
    const path = taskPath(parent.runId, parent.step, parent.taskId);
    if (!this.o.flow.steps.get(target)?.isJoin) {
      this.queue.push({ kind: 'launch', step: target, inputPaths: [path], stack: childStack(parent, target, false), retryCount: 0 });
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
      this.queue.push({ kind: 'launch', step: target, inputPaths: barrier.inputs as string[], stack: frames.slice(0, -1), retryCount: 0 });
    }
  }
}
