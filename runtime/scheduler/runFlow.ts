// Driving a created run: the local scheduler over an executor (the worker pool or a cluster),
// printing the tasks' output with their prefixes, and recording how the run ended.
import { cpus, hostname } from 'node:os';
import type { Datastore } from '../datastore';
import { LocalDatastore } from '../datastore/local';
import { keys, RunRecord, RunStatusRecord, TaskRecord } from '../datastore/records';
import { NoSpaceError, UserError } from '../errors';
import { displayPath, LoadedFlow } from '../flowcode/loadFlow';
import { LocalScheduler, RunOutcome, SchedulerOptions } from './localScheduler';
import type { TaskExecutor } from './executor';
import { LineWriter } from './lineWriter';
import { WorkerPool } from './workerPool';

export interface ExecuteOptions {
  maxWorkers?: number;
  /** `--inspect[=PORT]`: one worker, under the Node inspector. */
  inspect?: string | true;
  cliPath: string;
}

export function defaultWorkers(): number {
  return Math.max(1, cpus().length);
}

/** More workers than this only compete for the same cores (and each is a Node process). */
export const WORKERS_PER_CORE = 8;

/** `--max-workers`, capped at cores × WORKERS_PER_CORE, with a note when it is. */
export function capWorkers(asked: number | undefined, warn: (line: string) => void): number | undefined {
  const cap = defaultWorkers() * WORKERS_PER_CORE;
  if (asked === undefined || asked <= cap) return asked;
  warn(
    `flowspec: --max-workers ${asked} is more than this machine can use: running at most ${cap} tasks at once (${defaultWorkers()} cores × ${WORKERS_PER_CORE})`,
  );
  return cap;
}

export function createPool(datastore: Datastore, options: ExecuteOptions): WorkerPool {
  const inspect = options.inspect === true ? '9229' : options.inspect;
  return new WorkerPool({
    size: inspect ? 1 : (options.maxWorkers ?? defaultWorkers()),
    cliPath: options.cliPath,
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: datastore.location },
    execArgv: inspect ? [`--inspect=${inspect}`] : [],
  });
}

/** Runs the scheduler for a created run, printing prefixed output; returns the outcome. */
export async function executeRun(
  datastore: Datastore,
  flow: LoadedFlow,
  run: RunRecord,
  executor: TaskExecutor,
  resume: Pick<SchedulerOptions, 'reuse' | 'until'> = {},
): Promise<RunOutcome> {
  const started = Date.now();
  keepRoom(datastore, run);
  const lines = new LineWriter();
  const scheduler = new LocalScheduler({
    datastore,
    flow: flow.info,
    runId: run.runId,
    executor,
    maxWorkers: executor.capacity,
    ...resume,
    events: {
      // Once the executor cannot run anything, its one line says it all (below).
      line: (prefix, stream, text) => {
        if (!executor.fatal) lines.line(stream, `${prefix} ${text}`);
      },
    },
  });
  const onSignal = () => {
    lines.flush();
    process.stderr.write(`\nInterrupted: stopping run ${run.runId}.\n`);
    scheduler.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = setInterval(() => lines.line('stdout', `[${run.runId}] ${scheduler.progressLine()}`), 10_000);
  progress.unref();
  let outcome: RunOutcome | undefined;
  let fatal: unknown;
  try {
    outcome = await scheduler.run();
  } catch (e) {
    fatal = e;
  } finally {
    lines.flush();
    clearInterval(progress);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    executor.close(scheduler.aborted || fatal !== undefined);
  }
  if (executor.fatal) return stopUnservable(datastore, run, executor.fatal);
  if (!outcome) return failRun(datastore, run, fatal);
  const status: RunStatusRecord = {
    status: outcome.success ? 'success' : scheduler.aborted ? 'killed' : 'failed',
    updatedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    pid: process.pid,
    host: hostname(),
    ...(outcome.failed.length ? { failedTasks: outcome.failed.map(pathspecOf) } : {}),
    ...(resume.until ? { stoppedAfter: resume.until } : {}),
  };
  writeStatus(datastore, run, status);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (outcome.success && resume.until) {
    process.stdout.write(
      `Stopped after step '${resume.until}' as asked: run ${run.flow}/${run.runId}, ${outcome.tasks} tasks in ${seconds} s.\n`,
    );
  } else if (outcome.success) {
    process.stdout.write(`Done! Run ${run.flow}/${run.runId} finished: ${outcome.tasks} tasks in ${seconds} s.\n`);
  } else if (!scheduler.aborted) {
    for (const t of outcome.failed)
      process.stderr.write(`Step '${t.step}' failed (task ${pathspecOf(t)}): ${t.exception?.type}: ${t.exception?.message}\n`);
    process.stderr.write(
      `Run ${run.flow}/${run.runId} failed. Fix the step and resume it with: flowspec resume ${displayPath(flow.file)} --origin-run-id ${run.runId}\n`,
    );
  }
  return outcome;
}

/** Bytes kept free for the run's last records: a task's output can fill the disk before the run ends. */
const ROOM_BYTES = 64 * 1024;

/** Takes room on a local disk for the run's end (best effort: a disk already that full has none to give). */
function keepRoom(datastore: Datastore, run: RunRecord): void {
  if (!(datastore instanceof LocalDatastore)) return; // an object store does not fill up
  try {
    datastore.writeFile(keys.runRoom(run.flow, run.runId), Buffer.alloc(ROOM_BYTES));
  } catch (e) {
    if (!(e instanceof NoSpaceError)) throw e;
  }
}

/**
 * Records how the run ended, in the room kept for it when the disk is full; if even that fails,
 * says the status could not be written.
 */
function writeStatus(datastore: Datastore, run: RunRecord, status: RunStatusRecord): void {
  const write = () => datastore.writeJson(keys.runStatus(run.flow, run.runId), status);
  try {
    try {
      write();
    } catch (e) {
      if (!(e instanceof NoSpaceError)) throw e;
      datastore.remove(keys.runRoom(run.flow, run.runId));
      write();
    }
  } catch (e) {
    if (!(e instanceof NoSpaceError)) throw e;
    throw e.writing(`the status of run ${run.flow}/${run.runId}: it could not be recorded as ${status.status} and will show as crashed`);
  } finally {
    datastore.remove(keys.runRoom(run.flow, run.runId));
  }
}

/** The scheduler itself failed (a record it could not write): the run is recorded failed, and the error goes on. */
function failRun(datastore: Datastore, run: RunRecord, error: unknown): never {
  const now = new Date().toISOString();
  writeStatus(datastore, run, { status: 'failed', updatedAt: now, finishedAt: now, pid: process.pid, host: hostname() });
  if (error instanceof NoSpaceError) throw error.writing(`${error.what}; run ${run.flow}/${run.runId} is recorded as failed`);
  throw error;
}

/**
 * The executor could not run this run's tasks (a cluster whose nodes cannot read the datastore):
 * that is bad input, not a failed run. A run in which no task ran is removed; one where tasks
 * ran before (nodes that differ) stays, failed and resumable.
 */
function stopUnservable(datastore: Datastore, run: RunRecord, reason: string): never {
  const ran = datastore.list(keys.steps(run.flow, run.runId)).some((step) =>
    datastore.list(keys.tasks(run.flow, run.runId, step)).some((task) => {
      const record = datastore.readJson<TaskRecord>(keys.taskRecord(run.flow, run.runId, step, task));
      return record?.status === 'success' && !record.origin;
    }),
  );
  if (ran) {
    const now = new Date().toISOString();
    writeStatus(datastore, run, { status: 'failed', updatedAt: now, finishedAt: now, pid: process.pid, host: hostname() });
  } else {
    datastore.remove(keys.run(run.flow, run.runId));
  }
  throw new UserError(reason);
}

function pathspecOf(t: TaskRecord): string {
  return `${t.flow}/${t.runId}/${t.step}/${t.taskId}`;
}
