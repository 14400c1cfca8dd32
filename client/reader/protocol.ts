// What the extension asks the datastore reader (a worker thread, client/reader/worker.ts) and the
// plain-data snapshots it answers with. The extension host never reads the datastore itself: over
// s3:// every synchronous read of the runtime's client API blocks its thread (Atomics.wait), so
// the reader does those reads on its own thread and the host awaits `DatastoreReader.request`.
// Types only, plus the one rule both sides apply to a step's tasks (stepStatus).
import type { CardData } from '../../runtime/cards/data';
import type { GraphRun, StepStatus } from '../graph/graphData';
import type { ArtifactChoice, RunChoice } from '../prompts';
import type { ArtifactChangeKind } from '../../runtime/spin/changes';

/** `damaged`: a record of the run cannot be read (`damage` says which); the view shows it as such. */
export type RunState = 'running' | 'success' | 'failed' | 'killed' | 'crashed' | 'damaged';

/** A run as the Runs view and the prompts show it. Times are epoch milliseconds. */
export interface RunSummary {
  flow: string;
  id: string;
  pathspec: string;
  state: RunState;
  /** Why the run cannot be trusted (state `damaged`). */
  damage?: string;
  createdAt?: number;
  finishedAt?: number;
  /** Parameter name → value as stored (JSON-typed values). */
  parameters: Record<string, unknown>;
  userTags: string[];
  /** User and system tags. */
  tags: string[];
  originRunId?: string;
  sourceFile?: string;
}

/** A flow of a datastore with its newest runs (`runs`, at most the limit asked) out of `total`. */
export interface FlowSnapshot {
  root: string;
  name: string;
  total: number;
  runs: RunSummary[];
}

export interface TaskSummary {
  id: string;
  pathspec: string;
  finished: boolean;
  successful: boolean;
  startedAt?: number;
  finishedAt?: number;
  retryCount: number;
  /** Position in the enclosing foreach. */
  index?: number;
  /** For a task cloned by resume: the pathspec of the task it was copied from. */
  origin?: string;
  exception?: { type: string; message: string; stack?: string };
  /** Where the task ran (Slurm job id, node, state); {} for a local task. */
  metadata: Record<string, string>;
}

/** A step of a run with its tasks, steps in launch order. */
export interface StepSnapshot {
  name: string;
  pathspec: string;
  tasks: TaskSummary[];
}

export interface CardSummary {
  index: number;
  id?: string;
  type: string;
  status: 'running' | 'final';
}
export interface ArtifactSummary {
  name: string;
  type: string;
  size: number;
  preview: string;
}

/** What a task holds: its cards and its artifacts (sorted by name). */
export interface TaskContents {
  cards: CardSummary[];
  artifacts: ArtifactSummary[];
}

/** An artifact's full value, formatted for a read-only editor (client/artifactFormat.ts). */
export interface ArtifactText {
  text: string;
  language: 'json' | 'plaintext';
}

export interface TaskLogs {
  pathspec: string;
  origin?: string;
  stdout: string;
  stderr: string;
  exception?: { type: string; message: string; stack?: string };
}

/** A card: the datastore root, the task's pathspec (FLOW/RUN/STEP/TASK) and the card's position. */
export interface CardRef {
  root: string;
  pathspec: string;
  index: number;
}

/** An artifact of a spun task beside the original task's (absent on the side that does not have it). */
export interface SpunArtifact {
  name: string;
  change: ArtifactChangeKind;
  before?: { type: string; preview: string };
  after?: { type: string; preview: string };
}

/** A spin (`flowspec spin`): its task and what the task made, beside the task whose inputs it ran with. */
export interface SpinSnapshot {
  root: string;
  flow: string;
  spinId: string;
  step: string;
  /** The spun task: FLOW/spin-N/STEP/TASK. */
  pathspec: string;
  /** The original task: FLOW/RUN/STEP/TASK. */
  origin: string;
  successful: boolean;
  exception?: { type: string; message: string };
  artifacts: SpunArtifact[];
}

/** What the extension needs to know about the project around a workspace folder (client/projectFacts.ts). */
export interface FolderFacts {
  /** The datastore runs started in the folder use (client/datastoreRoot.ts). */
  datastoreRoot: string;
  /** Slurm is at hand: sbatch is on the PATH, or flowspec.config.json has a `slurm` section. */
  slurm: boolean;
}

/**
 * The reader's operations, as the worker implements them (synchronously, on its own thread). The
 * host calls each through `DatastoreReader.request(op, ...args)`, which returns a promise of the
 * result. A datastore that does not exist reads as empty; what cannot be read is reported in the
 * snapshot (a damaged run, a task without a record) rather than failing the request.
 */
export interface ReaderOps {
  /** The flows with runs of each root (roots in order, flows by name), each with its newest `limit` runs. */
  flows(roots: string[], limit: number, allNamespaces?: boolean): FlowSnapshot[];
  /** One flow's newest `limit` runs (none when the flow has no runs). */
  flow(root: string, name: string, limit: number): FlowSnapshot;
  steps(root: string, flow: string, runId: string): StepSnapshot[];
  taskContents(root: string, taskPathspec: string): TaskContents;
  /** undefined when the task has no such artifact. */
  artifactText(root: string, taskPathspec: string, name: string): ArtifactText | undefined;
  taskLogs(root: string, taskPathspec: string): TaskLogs;
  /** The latest run's status per step, for the graph; undefined when the flow has no runs. */
  latestRun(root: string, flow: string): GraphRun | undefined;
  /** Successful runs of every flow of the root, newest first, for "value from an earlier run". */
  successfulRuns(root: string): RunChoice[];
  runArtifacts(root: string, flow: string, runId: string): ArtifactChoice[];
  /** A card's data; undefined when the task has no such card. */
  card(ref: CardRef): CardData | undefined;
  /** A page of the card that opens in a browser, offline: the stored one, or a self-contained copy. */
  cardPage(ref: CardRef): string | undefined;
  /** A spin of the flow (`spin-N`), beside its original task; undefined when there is no such spin. */
  spin(root: string, flow: string, spinId: string): SpinSnapshot | undefined;
  /** Removes a run's records (its artifacts' blobs are shared by content and stay). */
  deleteRun(root: string, flow: string, runId: string): void;
  /** Removes and adds user tags of a run as one change (Run.replaceTags); answers its user tags after. */
  changeTags(root: string, flow: string, runId: string, change: { add: string[]; remove: string[] }): string[];
  /**
   * The project facts of a workspace folder with the `flowspec.datastoreRoot` setting: configuration,
   * not the datastore, but finding them walks parent folders and reads flowspec.config.json.
   */
  folderFacts(folder: string, setting: string | undefined): FolderFacts;
}

export type ReaderOp = keyof ReaderOps;

/** A step's status from its tasks: failed if any failed, running if any is unfinished. */
export function stepStatus(tasks: Array<{ finished: boolean; successful: boolean }>, runFinished: boolean): StepStatus {
  if (tasks.some((t) => t.finished && !t.successful)) return 'failed';
  if (tasks.some((t) => !t.finished)) return runFinished ? 'failed' : 'running';
  return 'success';
}
