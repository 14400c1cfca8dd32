// The datastore reader's answers (ReaderOps), computed with the runtime's client API. Runs on the
// reader's worker thread (worker.ts), never on the extension host: these reads are synchronous,
// and over s3:// each one waits for the network. Every answer is plain data (protocol.ts).
// What a record that cannot be read would break is caught where the Runs view showed a fallback
// before (a crashed run, a task without times), so one bad record does not hide its neighbours.
import { existsSync } from 'node:fs';
import { readCards, selfContainedCopy, StoredCard } from '../../runtime/cards/store';
import { Flow, IncludedFileSummary, includedFileText, Run, Step, Task } from '../../runtime/client';
import { isS3Root, openDatastore } from '../../runtime/datastore';
import { keys, parseTaskPath, readTaskRecord } from '../../runtime/datastore/records';
import { taskChanges } from '../../runtime/spin/changes';
import { spinStore } from '../../runtime/spin/store';
import { formatArtifactValue } from '../artifactFormat';
import { resolveDatastoreRoot } from '../datastoreRoot';
import { hasSlurmSection } from '../../runtime/slurm/settings';
import { onPath } from '../../runtime/slurm/slurmCommands';
import type { GraphRun, StepStatus } from '../graph/graphData';
import { runArtifacts, successfulRuns } from './earlierRuns';
import {
  ArtifactText,
  CardRef,
  FlowSnapshot,
  FolderFacts,
  ReaderOps,
  RunState,
  SpinSnapshot,
  RunSummary,
  StepSnapshot,
  TaskContents,
  TaskLogs,
  TaskSummary,
  stepStatus,
} from './protocol';

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** An s3:// datastore is asked, not checked on disk (a missing bucket lists as empty). */
function rootExists(root: string): boolean {
  return isS3Root(root) || existsSync(root);
}

function runState(run: Run): RunState {
  try {
    return run.status as RunState;
  } catch {
    return 'crashed';
  }
}

/** The run's parameters for the view: an IncludeFile's as its file and preview, not its content. */
function parameterValues(run: Run): Record<string, unknown> {
  const values = run.parameterSummaries;
  for (const [name, p] of Object.entries(run.record.parameters))
    if (p.file) values[name] = includedFileText(values[name] as IncludedFileSummary);
  return values;
}

function runSummary(run: Run): RunSummary {
  const state = runState(run);
  return {
    flow: run.flow,
    id: run.id,
    pathspec: run.pathspec,
    state,
    damage: state === 'damaged' ? safe(() => run.damage, undefined) : undefined,
    createdAt: safe(() => run.createdAt.getTime(), undefined),
    finishedAt: safe(() => run.finishedAt?.getTime(), undefined),
    parameters: safe(() => parameterValues(run), {}),
    userTags: safe(() => run.userTags, []),
    tags: safe(() => run.tags, []),
    originRunId: safe(() => run.record.originRunId, undefined),
    sourceFile: safe(() => run.record.sourceFile, undefined),
  };
}

function flowSnapshot(root: string, name: string, limit: number, allNamespaces = false): FlowSnapshot {
  const runs = rootExists(root) ? safe(() => new Flow(name, { root, ...(allNamespaces ? { namespace: null } : {}) }).runs(), []) : [];
  return { root, name, total: runs.length, runs: runs.slice(0, limit).map(runSummary) };
}

function taskOf(root: string, pathspec: string): Task {
  const [flow, runId, step, taskId] = pathspec.split('/');
  if (!flow || !runId || !step || !taskId) throw new Error(`not a task: ${pathspec}`);
  return new Task(openDatastore(root), flow, runId, step, taskId);
}

function taskSummary(task: Task): TaskSummary {
  const exception = safe(() => task.exception, null);
  return {
    id: task.id,
    pathspec: task.pathspec,
    finished: safe(() => task.finished, false),
    successful: safe(() => task.successful, false),
    startedAt: safe(() => task.startedAt?.getTime(), undefined),
    finishedAt: safe(() => task.finishedAt?.getTime(), undefined),
    retryCount: safe(() => task.retryCount, 0),
    index: safe(() => task.index, undefined),
    origin: safe(() => task.origin?.pathspec, undefined),
    exception: exception ? { type: exception.type, message: exception.message, stack: exception.stack } : undefined,
    metadata: safe(() => task.metadata, {}),
  };
}

function stepSnapshot(step: Step): StepSnapshot {
  return { name: step.name, pathspec: step.pathspec, tasks: safe(() => step.tasks(), []).map(taskSummary) };
}

function findCard(ref: CardRef): StoredCard | undefined {
  const [flow, runId, step, taskId] = ref.pathspec.split('/');
  return readCards(openDatastore(ref.root), { flow, runId, step, taskId }).find((c) => c.index === ref.index);
}

/** The graph's colours: each step's status in the run, how many tasks it has, and which card its badge opens. */
function graphRun(run: Run, root: string): GraphRun {
  const state = runState(run);
  const steps: Record<string, StepStatus> = {};
  const taskCounts: Record<string, number> = {};
  const cards: NonNullable<GraphRun['cards']> = {};
  try {
    for (const step of run.steps()) {
      const tasks = step.tasks();
      steps[step.name] = stepStatus(tasks, state !== 'running');
      taskCounts[step.name] = tasks.length;
      // The badge opens a running task's card if there is one, else the step's first card.
      const withCard = tasks.find((t) => !t.finished && t.hasCards) ?? tasks.find((t) => t.hasCards);
      if (withCard) cards[step.name] = { root, pathspec: withCard.pathspec };
    }
  } catch {
    /* a run being written: show what we have */
  }
  return { id: run.id, status: state === 'crashed' || state === 'damaged' ? 'killed' : state, steps, taskCounts, cards };
}

const BAD_NAME = /[/\\]|\.\./;

export const queries: ReaderOps = {
  // The Runs view lists the user's namespace (user:NAME, as a client script sees), or every run
  // with the setting flowspec.runs.allNamespaces.
  flows(roots, limit, allNamespaces) {
    return roots.flatMap((root) => {
      if (!rootExists(root)) return [];
      const names = safe(() => Flow.list({ root }).map((f) => f.name), []).sort((a, b) => a.localeCompare(b));
      return names.map((name) => flowSnapshot(root, name, limit, allNamespaces));
    });
  },

  flow: flowSnapshot,

  steps(root, flow, runId) {
    if (!rootExists(root)) return [];
    const run = new Run(openDatastore(root), flow, runId);
    return safe(() => run.steps(), []).map(stepSnapshot);
  },

  taskContents(root, pathspec): TaskContents {
    const task = taskOf(root, pathspec);
    const cards = safe(() => task.cards, []).map((c) => ({ index: c.index, id: c.id, type: c.type, status: c.data.status }));
    const artifacts = safe(() => Object.values(task.artifacts), [])
      .map((a) => ({ name: a.name, type: a.type, size: a.size, preview: a.preview }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { cards, artifacts };
  },

  artifactText(root, pathspec, name): ArtifactText | undefined {
    const artifact = taskOf(root, pathspec).artifacts[name];
    return artifact ? formatArtifactValue(artifact.value) : undefined;
  },

  taskLogs(root, pathspec): TaskLogs {
    const task = taskOf(root, pathspec);
    const exception = task.exception;
    return {
      pathspec: task.pathspec,
      origin: task.origin?.pathspec,
      stdout: task.stdout,
      stderr: task.stderr,
      exception: exception ? { type: exception.type, message: exception.message, stack: exception.stack } : undefined,
    };
  },

  latestRun(root, flow) {
    if (!rootExists(root)) return undefined;
    const run = safe(() => new Flow(flow, { root }).runs()[0], undefined);
    return run ? graphRun(run, root) : undefined;
  },

  successfulRuns(root) {
    return safe(() => successfulRuns(root), []);
  },

  runArtifacts(root, flow, runId) {
    return safe(() => runArtifacts(root, flow, runId), []);
  },

  card(ref) {
    return findCard(ref)?.data;
  },

  cardPage(ref) {
    const card = findCard(ref);
    if (!card) return undefined;
    // A local datastore's page opens in place; others get a self-contained copy.
    return card.localPath ?? selfContainedCopy(card);
  },

  spin(root, flow, spinId) {
    return rootExists(root) ? spinSnapshot(root, flow, spinId) : undefined;
  },
  deleteRun(root, flow, runId) {
    if (!runId || BAD_NAME.test(runId) || !flow || BAD_NAME.test(flow)) throw new Error(`bad run ${flow}/${runId}`);
    openDatastore(root).remove(keys.run(flow, runId));
  },

  changeTags(root, flow, runId, change) {
    const run = new Flow(flow, { root }).run(runId);
    run.replaceTags(change.remove, change.add);
    return run.userTags;
  },

  folderFacts(folder, setting): FolderFacts {
    return { datastoreRoot: resolveDatastoreRoot(folder, setting), slurm: sbatchOnPath() || hasSlurmSection(folder) };
  },
};

let sbatchFound: boolean | undefined;
/** Whether sbatch is on the PATH: looked up once (scanning every folder of the PATH), as the extension host's PATH does not change. */
function sbatchOnPath(): boolean {
  return (sbatchFound ??= onPath('sbatch') !== undefined);
}

function spinSnapshot(root: string, flow: string, spinId: string): SpinSnapshot | undefined {
  const store = spinStore(openDatastore(root));
  const run = safe(() => new Flow(flow, { datastore: store }).run(spinId), undefined);
  const origin = run && safe(() => run.record.spin?.task, undefined);
  const task = run?.steps()[0]?.task;
  const spun = task?.record;
  if (!origin || !task || !spun) return undefined;
  const o = parseTaskPath(origin.split('/').slice(1).join('/'));
  const original = readTaskRecord(store, flow, o.runId, o.step, o.taskId);
  if (!original) return undefined;
  const shown = (info?: { type: string; preview: string }) => (info ? { type: info.type, preview: info.preview } : undefined);
  return {
    root,
    flow,
    spinId,
    step: task.step,
    pathspec: task.pathspec,
    origin,
    successful: spun.status === 'success',
    ...(spun.exception ? { exception: { type: spun.exception.type, message: spun.exception.message } } : {}),
    artifacts: taskChanges(store, original, spun).map((c) => ({
      name: c.name,
      change: c.change,
      before: shown(c.before),
      after: shown(c.after),
    })),
  };
}
