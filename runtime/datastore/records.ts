// The documents the runtime writes, and where. Layout under the datastore root:
//
//   .code/<sha256>/flow.js(.map)                 bundled flow code, one package per distinct source
//   <Flow>/blobs/<h2>/<sha256>                   artifact values (v8-serialized), one per content
//   <Flow>/runs/<id>/run.json                    parameters, tags, code package (written once)
//   <Flow>/runs/<id>/status.json                 running | success | failed | killed
//   <Flow>/runs/<id>/steps/<step>/<task>/task.json          the task's final record, written last
//   <Flow>/runs/<id>/steps/<step>/<task>/attempt-<n>.json   each attempt's record
//   <Flow>/runs/<id>/steps/<step>/<task>/attempt-<n>.stdout|.stderr   logs
//   <Flow>/runs/<id>/steps/<step>/<task>/attempt-<n>.metadata.json    where a remote attempt runs (its
//                                                                      Slurm job and state), while it does
import { isDeepStrictEqual } from 'node:util';
import type { ArtifactInfo } from './artifacts';
import { parseDocument } from './integrity';
import type { Datastore } from './datastore';
import { DamagedError, UserError } from '../errors';
import { checkIdentifier } from './names';
import type { ProjectRecord } from '../flow/project';

/** One enclosing split of a task: a foreach (with the item's position) or a static branch. */
export interface SplitFrame {
  step: string;
  kind: 'foreach' | 'branch';
  index: number;
  count: number;
  /** For a foreach: the iterated artifact and the hash of its value. */
  var?: string;
  valueHash?: string;
  /** A numParallel split: the tasks are the nodes of a @parallel gang. */
  parallel?: boolean;
}

export interface NextRecord {
  kind: 'linear' | 'branch' | 'foreach' | 'switch' | 'end';
  targets: string[];
  foreach?: string;
  foreachCount?: number;
  foreachHash?: string;
  /** A numParallel split (kind 'foreach'): `foreachCount` gang-scheduled tasks of a @parallel step. */
  numParallel?: number;
  condition?: string;
  /** For a switch: the case taken. */
  chosen?: string;
}

export interface ExceptionRecord {
  type: string;
  message: string;
  stack?: string;
}

export interface TaskRecord {
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  attempt: number;
  status: 'success' | 'failed';
  startedAt: string;
  finishedAt: string;
  pid: number;
  inputPaths: string[];
  splitIndex?: number;
  stack: SplitFrame[];
  artifacts: Record<string, ArtifactInfo>;
  next?: NextRecord;
  exception?: ExceptionRecord;
  /** The step failed and @catchError let the run go on (the error is in its `var` artifact). */
  caught?: boolean;
  /** Set on a task cloned by resume: the pathspec of the task it was copied from. */
  origin?: string;
  /** Facts of where the attempt ran, by the engine that ran it: `slurm-job-id`, `slurm-node`, `slurm-state`... */
  metadata?: Record<string, string>;
  /** The step's @environment variables, as the task had them. */
  environment?: Record<string, string>;
}

export interface ParameterRecord extends ArtifactInfo {
  field: string;
  /** Where the value came from: 'default', 'command line', 'environment', a params file, a ref... */
  source: string;
  /** For a value taken from an earlier run: the task and artifact it came from. */
  ref?: { task: string; artifact: string };
  /** For an IncludeFile parameter: the file it read (its content is the value). */
  file?: IncludedFile;
  /**
   * The value itself when it is small plain JSON (listedValue): a listing of many runs (`flowspec
   * runs`, the Runs view) shows it without reading the blob. Runs stored before it have none.
   */
  value?: unknown;
}

/** At most this many characters of JSON make a parameter's value part of its run record. */
const LISTED_VALUE_LENGTH = 1000;

/** `{ value }` for a parameter record when the value is plain JSON (reads back equal) of at most LISTED_VALUE_LENGTH characters, else {}. */
export function listedValue(value: unknown): { value?: unknown } {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined || text.length > LISTED_VALUE_LENGTH || !isDeepStrictEqual(JSON.parse(text), value)) return {};
  return { value };
}

/** The file an IncludeFile parameter read at run start: absolute path and size in bytes. */
export interface IncludedFile {
  path: string;
  size: number;
}

/** A params-file `toInit` entry: paths copied into each task's working folder. */
export interface InitCopy {
  name: string;
  files: Array<{ source: string; target: string }>;
  dirs: Array<{ source: string; target: string }>;
}

/** A step's transition as the source declares it (from the analyzer), kept with the run. */
export interface StaticStep {
  kind: 'linear' | 'branch' | 'foreach' | 'switch' | 'end';
  targets: string[];
}

export interface RunRecord {
  flow: string;
  runId: string;
  createdAt: string;
  sourceFile: string;
  /** Key of the code package (.code/<sha>/flow.js). */
  code: string;
  tags: string[];
  systemTags: string[];
  parameters: Record<string, ParameterRecord>;
  /**
   * Class constants (fields with a value that are not Parameters), stored once when the run is
   * created: artifacts of every task, read-only in steps (as Metaflow's class attributes).
   */
  constants?: Record<string, ArtifactInfo>;
  /** `Config` values, read once when the run was created (name → stored value, field, source). */
  configs?: Record<string, ParameterRecord>;
  /** Values passed with contextOnly, readable as current.context. */
  context?: Record<string, unknown>;
  /** Environment variables every task gets (params-file `toEnv`). */
  env?: Record<string, string>;
  /** Paths copied into a fresh working folder for each task (params-file `toInit`). */
  init?: InitCopy[];
  originRunId?: string;
  /** A @project flow's project and branch (also in systemTags: `project:NAME`, `project_branch:BRANCH`). */
  project?: ProjectRecord;
  /** The flow's graph: step → declared transition. */
  graph: Record<string, StaticStep>;
  /** Set on a spin (`flowspec spin`, kept in the spin store): which task it spins, and how. */
  spin?: SpinOrigin;
}

/** What makes a spin's "run" differ from the run it spins a task of. */
export interface SpinOrigin {
  /** Pathspec of the task whose inputs the spin uses (`Flow/run/step/task`). */
  task: string;
  /** Input artifacts given with `--artifacts` (parameters and constants are in the record's own fields). */
  overrides?: Record<string, ArtifactInfo>;
  /** `--skip-decorators`: the step runs without @retry, @catchError, @timeout, @card... */
  skipDecorators?: boolean;
}

export interface RunStatusRecord {
  status: 'running' | 'success' | 'failed' | 'killed';
  updatedAt: string;
  finishedAt?: string;
  pid: number;
  failedTasks?: string[];
  /** The machine of `pid`: a reader on another machine cannot tell whether that process is alive. */
  host?: string;
  /** Set when a remote engine (`argo`) drives the run: then `pid` is init-run's, long gone. */
  engine?: string;
  /** Set when the run was asked to stop after a step (`--until`). */
  stoppedAfter?: string;
}

export const keys = {
  codePackage: (sha: string) => `.code/${sha}/flow.js`,
  blobs: (flow: string) => `${flow}/blobs`,
  blob: (flow: string, hash: string) => `${flow}/blobs/${hash.slice(0, 2)}/${hash}`,
  runs: (flow: string) => `${flow}/runs`,
  run: (flow: string, runId: string) => `${flow}/runs/${runId}`,
  runRecord: (flow: string, runId: string) => `${flow}/runs/${runId}/run.json`,
  runStatus: (flow: string, runId: string) => `${flow}/runs/${runId}/status.json`,
  /** Room kept on the disk while the run runs, freed to record its end when the disk is full (runFlow.ts). */
  runRoom: (flow: string, runId: string) => `${flow}/runs/${runId}/.room`,
  steps: (flow: string, runId: string) => `${flow}/runs/${runId}/steps`,
  tasks: (flow: string, runId: string, step: string) => `${flow}/runs/${runId}/steps/${step}`,
  task: (flow: string, runId: string, step: string, taskId: string) => `${flow}/runs/${runId}/steps/${step}/${taskId}`,
  taskRecord: (flow: string, runId: string, step: string, taskId: string) => `${flow}/runs/${runId}/steps/${step}/${taskId}/task.json`,
  attemptRecord: (flow: string, runId: string, step: string, taskId: string, attempt: number) =>
    `${flow}/runs/${runId}/steps/${step}/${taskId}/attempt-${attempt}.json`,
  attemptMetadata: (flow: string, runId: string, step: string, taskId: string, attempt: number) =>
    `${flow}/runs/${runId}/steps/${step}/${taskId}/attempt-${attempt}.metadata.json`,
  log: (flow: string, runId: string, step: string, taskId: string, attempt: number, stream: 'stdout' | 'stderr') =>
    `${flow}/runs/${runId}/steps/${step}/${taskId}/attempt-${attempt}.${stream}`,
};

/** Writes a task's record: the attempt's own, then the task's, which readers take as final. */
export function writeTaskRecord(datastore: Datastore, record: TaskRecord): void {
  const { flow, runId, step, taskId, attempt } = record;
  datastore.writeJsonAt([keys.attemptRecord(flow, runId, step, taskId, attempt), keys.taskRecord(flow, runId, step, taskId)], record);
}

/** What an attempt of a task printed to a stream ('' when it printed nothing). */
export function readLog(
  datastore: Datastore,
  task: Pick<TaskRecord, 'flow' | 'runId' | 'step' | 'taskId'>,
  attempt: number,
  stream: 'stdout' | 'stderr',
): string {
  const { flow, runId, step, taskId } = task;
  return datastore.readFile(keys.log(flow, runId, step, taskId, attempt, stream))?.toString('utf8') ?? '';
}

/** A parameter as a task's artifact: the stored value's description, without where it came from. */
export function parameterArtifact(p: ParameterRecord): ArtifactInfo {
  const { hash, size, type, preview } = p;
  return { hash, size, type, preview };
}

/** `runId/step/taskId`, the form in which tasks name their inputs. */
export function taskPath(runId: string, step: string, taskId: string): string {
  return `${runId}/${step}/${taskId}`;
}

export function parseTaskPath(path: string): { runId: string; step: string; taskId: string } {
  const parts = path.split('/');
  const [runId, step, taskId] = parts;
  if (parts.length !== 3 || !runId || !step || !taskId) throw new UserError(`bad task path '${path}' (expected RUN/STEP/TASK)`);
  return { runId: checkIdentifier('run id', runId), step: checkIdentifier('step name', step), taskId: checkIdentifier('task id', taskId) };
}

// Reading records: a document that parses but has the wrong shape is as damaged as a torn one.

type Shape = Record<string, 'string' | 'number' | 'object' | 'array' | 'string?' | 'number?' | 'object?' | 'array?'>;

const RUN_SHAPE: Shape = {
  flow: 'string',
  runId: 'string',
  createdAt: 'string',
  code: 'string',
  tags: 'array',
  systemTags: 'array',
  parameters: 'object',
  graph: 'object',
};
const STATUS_SHAPE: Shape = { status: 'string', updatedAt: 'string?', pid: 'number?' };
const TASK_SHAPE: Shape = {
  flow: 'string',
  runId: 'string',
  step: 'string',
  taskId: 'string',
  attempt: 'number',
  status: 'string',
  inputPaths: 'array',
  stack: 'array',
  artifacts: 'object',
  startedAt: 'string',
  finishedAt: 'string',
};
const STATUSES = new Set(['running', 'success', 'failed', 'killed']);

function shapeProblem(doc: unknown, shape: Shape): string | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'not an object';
  for (const [field, want] of Object.entries(shape)) {
    const value = (doc as Record<string, unknown>)[field];
    const optional = want.endsWith('?');
    if (value === undefined && optional) continue;
    const type = want.replace('?', '');
    const ok =
      type === 'array'
        ? Array.isArray(value)
        : type === 'object'
          ? typeof value === 'object' && value !== null && !Array.isArray(value)
          : typeof value === type;
    if (!ok) return `'${field}' is ${value === undefined ? 'missing' : `not a${type === 'array' || type === 'object' ? 'n' : ''} ${type}`}`;
  }
  return undefined;
}

function artifactsProblem(artifacts: Record<string, unknown>): string | undefined {
  for (const [name, info] of Object.entries(artifacts)) {
    const i = info as Partial<ArtifactInfo> | null;
    if (!i || typeof i.hash !== 'string' || !/^[0-9a-f]{64}$/.test(i.hash)) return `artifact '${name}' has no valid hash`;
    const nested = i.nestedClasses;
    if (nested !== undefined && !(Array.isArray(nested) && nested.every((n) => Array.isArray(n?.path) && typeof n.class === 'string')))
      return `artifact '${name}' has unreadable nestedClasses`;
  }
  return undefined;
}

type ProblemOf = (doc: Record<string, unknown>) => string | undefined;

/** A record read from `key` (its bytes when they were read already), checked: one that is not what it should be is damaged. */
function readChecked<T>(datastore: Datastore, key: string, problemOf: ProblemOf, bytes?: Buffer): T | undefined {
  const doc =
    bytes === undefined
      ? datastore.readJson<Record<string, unknown>>(key)
      : parseDocument<Record<string, unknown>>(bytes, datastore.localPath(key) ?? `${datastore.location}/${key}`);
  if (doc === undefined) return undefined;
  const problem = problemOf(doc);
  if (problem) {
    const file = datastore.localPath(key) ?? `${datastore.location}/${key}`;
    throw new DamagedError(`damaged record ${file}: ${problem}`, file);
  }
  return doc as T;
}

const runProblem: ProblemOf = (d) => shapeProblem(d, RUN_SHAPE) ?? artifactsProblem(d.parameters as Record<string, unknown>);
const statusProblem: ProblemOf = (d) =>
  shapeProblem(d, STATUS_SHAPE) ?? (STATUSES.has(d.status as string) ? undefined : `unknown status '${String(d.status)}'`);

/** The run's record; `bytes` when run.json was read already (Flow.runs reads many at once). */
export function readRunRecord(datastore: Datastore, flow: string, runId: string, bytes?: Buffer): RunRecord | undefined {
  return readChecked(datastore, keys.runRecord(flow, runId), runProblem, bytes);
}

/** The run's status; `bytes` when status.json was read already. */
export function readRunStatus(datastore: Datastore, flow: string, runId: string, bytes?: Buffer): RunStatusRecord | undefined {
  return readChecked(datastore, keys.runStatus(flow, runId), statusProblem, bytes);
}

export function readTaskRecord(datastore: Datastore, flow: string, runId: string, step: string, taskId: string): TaskRecord | undefined {
  return readChecked(
    datastore,
    keys.taskRecord(flow, runId, step, taskId),
    (d) =>
      shapeProblem(d, TASK_SHAPE) ??
      (d.status === 'success' || d.status === 'failed' ? undefined : `unknown status '${String(d.status)}'`) ??
      artifactsProblem(d.artifacts as Record<string, unknown>),
  );
}
