// `flowspec spin`: runs one step of a flow, from the file as it is now, with the inputs a task of
// that step had in an earlier run (parameters, constants, its parents' artifacts, its foreach
// item, a join's inputs), optionally overridden. The task runs as a run's task does, launched by
// the local scheduler on a worker process (TaskRunner, the one task entry point, with every
// decorator a run applies), against the spin store (store.ts): a spin is a task run with another
// destination. A @parallel step is refused, as by Metaflow's spin.
import { existsSync, readFileSync } from 'node:fs';
import * as inspector from 'node:inspector';
import { hostname } from 'node:os';
import { RESERVED_NAMES } from '../../model/reserved';
import type { Datastore } from '../datastore';
import { ArtifactInfo, serializeArtifact } from '../datastore/artifacts';
import { identifierProblem } from '../../model/identifiers';
import {
  keys,
  ParameterRecord,
  parseTaskPath,
  readRunRecord,
  readTaskRecord,
  RunRecord,
  RunStatusRecord,
  SpinOrigin,
  TaskRecord,
} from '../datastore/records';
import { isDamaged, UserError } from '../errors';
import { bundleFlowFile } from '../flowcode/bundle';
import { loadCodePackage } from '../flowcode/load';
import { LoadedFlow, loadFlow } from '../flowcode/loadFlow';
import { FlowInfo } from '../flowcode/introspect';
import type { TaskExecutor } from '../scheduler/executor';
import { LocalScheduler } from '../scheduler/localScheduler';
import { WorkerPool } from '../scheduler/workerPool';
import { InProcessExecutor } from './inProcess';
import { ArtifactChange, taskChanges } from './changes';
import { scratchSpinStore, SPIN_ID, SPIN_STORE_ENV, spinStore } from './store';

export interface SpinOptions {
  file: string;
  step: string;
  /** The flow of the file (needed when it holds several). */
  flow?: string;
  /** The run whose task is spun; default the latest run in which the step ran. */
  runId?: string;
  /** The task of the step (`--task`), or its foreach position, outermost first (`--index 1` or `--index 1,0`). */
  taskId?: string;
  index?: number[];
  /** `--artifacts FILE`: a JSON object, or a module exporting `ARTIFACTS`, of input values to use instead. */
  artifacts?: string;
  /** false (`--no-persist`): nothing is stored; default true. */
  persist?: boolean;
  skipDecorators?: boolean;
  /** The CLI that a worker process runs (`flowspec __worker`). */
  cliPath: string;
  /** Each line of the task (prefixed as in a run log), as it is printed. */
  line(stream: 'stdout' | 'stderr', line: string): void;
  /** What the spin says about itself (which task it picked), for stderr. */
  note(line: string): void;
  /**
   * A worker started before the spin was asked for (startSpinWorker): spinTask takes it over, runs
   * the task on it when the spin persists (its store is the spin store), and closes it in any case.
   */
  worker?: TaskExecutor;
}

export interface SpinOutcome {
  flow: string;
  spinId: string;
  original: TaskRecord;
  spun: TaskRecord;
  changes: ArtifactChange[];
  persisted: boolean;
}

/** Run ids and task ids in order: numbers as numbers. */
const byNumber = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export async function spinTask(main: Datastore, options: SpinOptions): Promise<SpinOutcome> {
  const persist = options.persist !== false;
  const scratch = persist ? undefined : scratchSpinStore(main);
  const store = scratch?.store ?? spinStore(main);
  if (scratch) options.worker?.close();
  const executor = (!scratch && options.worker) || spinExecutor(main, store, options.cliPath);
  try {
    const flow = await loadFlow(options.file, options.flow, store);
    const name = flow.info.name;
    if (!flow.info.steps.has(options.step))
      throw new UserError(
        `'${options.step}' is not a step of ${name} in ${options.file} (its steps: ${[...flow.info.steps.keys()].join(', ')})`,
      );
    // As Metaflow's spin: a gang's node cannot run alone (its peers wait for it, and it for them).
    if (flow.info.steps.get(options.step)!.meta.parallel)
      throw new UserError(
        `step '${options.step}' is a @parallel step: spin runs one task, not a gang; run its gang again with flowspec resume ${options.file} ${options.step}`,
      );
    const { run, task } = originalTask(main, name, options);
    const origin = `${name}/${task.runId}/${task.step}/${task.taskId}`;
    const parents = task.inputPaths.map((path) => {
      const p = parseTaskPath(path);
      const record = readTaskRecord(main, name, p.runId, p.step, p.taskId);
      if (record?.status !== 'success')
        throw new UserError(`input ${name}/${path} of ${origin} did not succeed: its inputs cannot be given again`);
      return record;
    });
    checkInputsFit(flow, options.step, task, parents);
    const overrides = options.artifacts ? await readOverrides(options.artifacts, store) : {};
    const record = spinRunRecord(store, flow, run, origin, overrides, options.skipDecorators === true);
    const spun = await runSpunTask(store, executor, flow, record, task, options);
    const now = new Date().toISOString();
    const status: RunStatusRecord = {
      status: spun.status === 'success' ? 'success' : 'failed',
      updatedAt: now,
      finishedAt: now,
      pid: process.pid,
      host: hostname(),
      ...(spun.status === 'success' ? {} : { failedTasks: [`${name}/${spun.runId}/${spun.step}/${spun.taskId}`] }),
    };
    store.writeJson(keys.runStatus(name, record.runId), status);
    return {
      flow: name,
      spinId: record.runId,
      original: task,
      spun,
      changes: taskChanges(store, task, spun),
      persisted: persist,
    };
  } finally {
    executor.close();
    scratch?.discard();
  }
}

/** The task of the step to spin, and its run: as asked, else the first task of the step in the latest run it ran in. */
function originalTask(main: Datastore, flow: string, options: SpinOptions): { run: RunRecord; task: TaskRecord } {
  const { step } = options;
  if (options.runId !== undefined && readRunRecord(main, flow, options.runId) === undefined)
    throw new UserError(`no run ${flow}/${options.runId} in ${main.location} (flowspec runs ${flow} lists them)`);
  const runIds = options.runId !== undefined ? [options.runId] : runsNewestFirst(main, flow);
  if (!runIds.length)
    throw new UserError(`${flow} has no runs in ${main.location}: run it first (flowspec run ${options.file}), then spin a step of it`);
  for (const runId of runIds) {
    let tasks: TaskRecord[];
    try {
      tasks = taskRecords(main, flow, runId, step);
    } catch (e) {
      if (options.runId !== undefined || !isDamaged(e)) throw e;
      continue; // a damaged run is not the latest run the step ran in
    }
    if (tasks.length) return { run: readRunRecord(main, flow, runId)!, task: pickTask(tasks, `${flow}/${runId}`, options) };
  }
  throw new UserError(
    options.runId !== undefined
      ? `step '${step}' never ran in run ${flow}/${options.runId}: name a run in which it did (--run-id), or resume that run first`
      : `step '${step}' never ran in any run of ${flow}: run the flow first (flowspec run ${options.file}), then spin it`,
  );
}

function runsNewestFirst(main: Datastore, flow: string): string[] {
  return main
    .list(keys.runs(flow))
    .filter((id) => identifierProblem(id) === undefined)
    .sort(byNumber)
    .reverse();
}

/** The recorded tasks of a step in a run (a task killed before its record was written is not one). */
function taskRecords(main: Datastore, flow: string, runId: string, step: string): TaskRecord[] {
  if (identifierProblem(step) !== undefined) return [];
  return main
    .list(keys.tasks(flow, runId, step))
    .filter((id) => identifierProblem(id) === undefined)
    .sort(byNumber)
    .map((id) => readTaskRecord(main, flow, runId, step, id))
    .filter((r): r is TaskRecord => r !== undefined);
}

/** Foreach positions compared outermost first. */
function byPosition(a: number[], b: number[]): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) if (a[k] !== b[k]) return a[k] - b[k];
  return a.length - b.length;
}

/** Positions of a task in its enclosing foreaches, outermost first. */
function foreachPosition(task: TaskRecord): number[] {
  return task.stack.filter((f) => f.kind === 'foreach').map((f) => f.index);
}

function pickTask(tasks: TaskRecord[], run: string, options: SpinOptions): TaskRecord {
  const { step, taskId, index } = options;
  if (taskId !== undefined) {
    const task = tasks.find((t) => t.taskId === taskId);
    if (!task)
      throw new UserError(`run ${run} has no task ${taskId} of step '${step}' (its tasks: ${tasks.map((t) => t.taskId).join(', ')})`);
    return task;
  }
  if (index !== undefined) {
    const positions = tasks.map(foreachPosition);
    if (positions.every((p) => p.length === 0))
      throw new UserError(
        `step '${step}' is not inside a foreach in run ${run}: --index picks a foreach item (use --task ID to pick a task)`,
      );
    const matches = tasks.filter(
      (_t, i) => positions[i].length >= index.length && index.every((n, k) => positions[i][positions[i].length - index.length + k] === n),
    );
    if (!matches.length) {
      const innermost = [...new Set(positions.map((p) => p[p.length - 1]))].sort((a, b) => a - b);
      throw new UserError(
        `step '${step}' has no task at index ${index.join(',')} in run ${run} (its indices: ${innermost[0]}..${innermost[innermost.length - 1]})`,
      );
    }
    if (matches.length > 1) {
      // In position order, not task order: tasks of a nested foreach get their ids as they are scheduled.
      const examples = matches
        .map(foreachPosition)
        .sort(byPosition)
        .slice(0, 2)
        .map((p) => p.join(','));
      throw new UserError(
        `index ${index.join(',')} of step '${step}' names ${matches.length} tasks in run ${run} (nested foreach): give every index, outermost first (--index ${examples.join(' or --index ')})`,
      );
    }
    return matches[0];
  }
  if (tasks.length > 1) {
    const at = foreachPosition(tasks[0]);
    options.note(
      `Step '${step}' ran ${tasks.length} tasks in run ${run}: spinning task ${tasks[0].taskId}${at.length ? ` (index ${at.join(',')})` : ''}; pick another with --index I or --task ID.`,
    );
  }
  return tasks[0];
}

/** Refuses a spin when the file's flow changed so that the original task's inputs no longer fit its step. */
function checkInputsFit(flow: LoadedFlow, step: string, task: TaskRecord, parents: TaskRecord[]): void {
  const { info } = flow;
  const run = `${info.name}/${task.runId}`;
  const again = `run the flow again (flowspec run ${flow.file}), then spin`;
  const now = info.steps.get(step);
  if (!now)
    throw new UserError(`'${step}' is no longer a step of ${info.name} in ${flow.file} (its steps: ${[...info.steps.keys()].join(', ')})`);
  // A join's stack closes its parent's innermost split; any other task's stack keeps it.
  const wasJoin = parents.length > 1 || (parents.length === 1 && task.stack.length < parents[0].stack.length);
  if (now.isJoin !== wasJoin)
    throw new UserError(
      `step '${step}' ${wasJoin ? 'was a join in' : 'takes inputs (a join) now but was not a join in'} run ${run}${wasJoin ? ' but takes no inputs now' : ''}: the inputs of that run no longer fit; ${again}`,
    );
  for (const parent of parents) {
    if (!info.steps.has(parent.step))
      throw new UserError(
        `step '${parent.step}', which gave '${step}' its inputs in run ${run}, is no longer a step of ${info.name}: ${again}`,
      );
  }
}

/** The values of `--artifacts FILE`: a JSON object, or what a module exports as ARTIFACTS (or default). */
async function readOverrides(file: string, store: Datastore): Promise<Record<string, unknown>> {
  if (!existsSync(file)) throw new UserError(`--artifacts ${file}: no such file`);
  let value: unknown;
  if (/\.json$/i.test(file)) {
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UserError(`--artifacts ${file} is not valid JSON: ${(e as Error).message}`);
    }
  } else if (/\.[cm]?[jt]s$/.test(file)) {
    let exports: Record<string, unknown>;
    try {
      ({ exports } = await loadCodePackage((await bundleFlowFile(file, store)).path));
    } catch (e) {
      throw new UserError(`cannot load --artifacts ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
    value = exports.ARTIFACTS ?? exports.default;
  } else {
    throw new UserError(`--artifacts ${file}: give a .json file or a module (.ts, .js, .mjs) that exports ARTIFACTS`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UserError(`--artifacts ${file} must hold an object of artifact name → value (a module exports it as ARTIFACTS)`);
  for (const name of Object.keys(value)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name) || RESERVED_NAMES.has(name))
      throw new UserError(
        `--artifacts ${file}: '${name}' cannot be an artifact name (a JavaScript identifier that is not ${[...RESERVED_NAMES].join(', ')})`,
      );
  }
  return value as Record<string, unknown>;
}

/** Stores a value of --artifacts; one that cannot be stored is bad input. */
function storeOverride(store: Datastore, flow: string, name: string, value: unknown): ArtifactInfo {
  let stored;
  try {
    stored = serializeArtifact(name, value);
  } catch (e) {
    throw new UserError(`--artifacts: ${(e as Error).message}`);
  }
  store.putBlob(flow, stored.info.hash, stored.bytes);
  return stored.info;
}

/**
 * The spin's "run" in the spin store: the original run's parameters and constants (those the
 * flow still declares, then those --artifacts gives), the code of the file as it is now.
 */
function spinRunRecord(
  store: Datastore,
  flow: LoadedFlow,
  run: RunRecord,
  origin: string,
  overrides: Record<string, unknown>,
  skipDecorators: boolean,
): RunRecord {
  const { info } = flow;
  const remaining = new Map(Object.entries(overrides));
  const parameters: Record<string, ParameterRecord> = {};
  for (const p of info.parameters) {
    const name = p.decl.name;
    const given = [p.field, name].find((n) => remaining.has(n));
    if (given !== undefined) {
      parameters[name] = { ...storeOverride(store, info.name, p.field, remaining.get(given)), field: p.field, source: '--artifacts' };
      remaining.delete(given);
    } else if (run.parameters[name]) {
      parameters[name] = { ...run.parameters[name], field: p.field };
    } else {
      throw new UserError(
        `${info.name} now declares parameter --${name}, which run ${info.name}/${run.runId} had no value for: give it one with --artifacts (${p.field}), or run the flow again`,
      );
    }
  }
  const constants: Record<string, ArtifactInfo> = {};
  for (const [field, value] of info.constants) {
    if (remaining.has(field)) {
      constants[field] = storeOverride(store, info.name, field, remaining.get(field));
      remaining.delete(field);
    } else {
      // The run's value: a constant is an input like the others. One the flow added is the file's.
      constants[field] = run.constants?.[field] ?? storeOverride(store, info.name, field, value);
    }
  }
  const spin: SpinOrigin = {
    task: origin,
    ...(remaining.size
      ? { overrides: Object.fromEntries([...remaining].map(([name, value]) => [name, storeOverride(store, info.name, name, value)])) }
      : {}),
    ...(skipDecorators ? { skipDecorators } : {}),
  };
  const { originRunId: _notResumed, ...kept } = run;
  const runId = allocateSpinId(store, info.name);
  const record: RunRecord = {
    ...kept,
    runId,
    createdAt: new Date().toISOString(),
    sourceFile: flow.file,
    code: flow.code.key,
    parameters,
    constants: Object.keys(constants).length ? constants : undefined,
    spin,
  };
  store.writeJson(keys.runRecord(info.name, runId), record);
  return record;
}

/** The next `spin-N` of the flow in the spin store, claimed by creating its status exclusively. */
function allocateSpinId(store: Datastore, flow: string): string {
  const taken = store
    .list(keys.runs(flow))
    .map((id) => SPIN_ID.exec(id)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  const status: RunStatusRecord = { status: 'running', updatedAt: new Date().toISOString(), pid: process.pid, host: hostname() };
  let n = taken.length ? Math.max(...taken) + 1 : 1;
  while (!store.createExclusive(keys.runStatus(flow, `spin-${n}`), status)) n++;
  return `spin-${n}`;
}

/**
 * Runs the task as a run does: through the local scheduler, on a worker process (its attempts under
 * @retry, @timeout, the kill of a step that does not yield to it, a crash caught by @catchError);
 * under a debugger in this process instead, which the debugger holds. `--skip-decorators` gives the
 * scheduler the bare step, as the task gets it (runtime/task/runTask.ts).
 */
async function runSpunTask(
  store: Datastore,
  executor: TaskExecutor,
  flow: LoadedFlow,
  run: RunRecord,
  task: TaskRecord,
  options: SpinOptions,
): Promise<TaskRecord> {
  const info = run.spin?.skipDecorators ? withBareStep(flow.info, task.step) : flow.info;
  const scheduler = new LocalScheduler({
    datastore: store,
    flow: info,
    runId: run.runId,
    executor,
    maxWorkers: 1,
    events: { line: (prefix, stream, text) => options.line(stream, `${prefix} ${text}`) },
    first: {
      kind: 'launch',
      step: task.step,
      inputPaths: task.inputPaths,
      stack: task.stack,
      splitIndex: task.splitIndex,
      taskId: task.taskId,
      retryCount: 0,
    },
    until: task.step,
  });
  await scheduler.run();
  const record = readTaskRecord(store, run.flow, run.runId, task.step, task.taskId);
  if (!record) throw new Error(`the spun task ${run.flow}/${run.runId}/${task.step}/${task.taskId} left no record`);
  return record;
}

/** The flow with one step stripped of its decorators. */
function withBareStep(info: FlowInfo, step: string): FlowInfo {
  const declared = info.steps.get(step)!;
  return { ...info, steps: new Map(info.steps).set(step, { ...declared, meta: { isStep: true, name: declared.name } }) };
}

/**
 * A worker for a spin that persists, started ahead: the editor's standby spin process
 * (cli/commands/spin-standby.ts) starts it before the click, so a spin does not wait for it.
 */
export function startSpinWorker(main: Datastore, cliPath: string): TaskExecutor {
  return spinExecutor(main, spinStore(main), cliPath);
}

/** Where the spun task runs: a worker process, started now so that it starts while the flow loads; this process under a debugger. */
function spinExecutor(main: Datastore, store: Datastore, cliPath: string): TaskExecutor {
  if (inspector.url() !== undefined) return new InProcessExecutor(store);
  const pool = new WorkerPool({
    size: 1,
    cliPath,
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: main.location, [SPIN_STORE_ENV]: store.location },
  });
  pool.warm();
  return pool;
}
