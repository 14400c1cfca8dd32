// Runs one task: the single entry point every scheduler uses (`flowspec step`, the local
// scheduler's warm workers, a remote engine). It reads its inputs from the datastore, runs the
// step, stores the artifacts, and writes the task record last, so a task either fully happened
// or did not happen at all.
import type { Datastore } from '../datastore';
import type { ArtifactInfo } from '../datastore/artifacts';
import { ExceptionRecord, keys, NextRecord, parseTaskPath, RunRecord, SplitFrame, TaskRecord, writeTaskRecord } from '../datastore/records';
import { CardSession } from '../cards/session';
import { setCurrent } from '../flow/current';
import { attachStepHooks, ForeachFrame, foreachFrame, StepHooks } from '../flow/flowspec';
import { InputSource, Inputs, inputSourcesOf } from '../flow/inputs';
import { FlowInfo, StepInfo, stepsOf } from '../flowcode/introspect';
import { caughtRecord } from './caught';
import { enterTaskEnvironment } from './taskEnvironment';
import { flowClassesOf, loadCodePackage } from '../flowcode/load';
import { ArtifactState } from './artifactState';
import { BlobReader } from './blobReader';
import { planMerge } from './merge';
import { captureOutput, OutputSink } from './outputCapture';
import { childStack } from './stack';
import { parseNextArguments, RecordedTransition, resolveTransition, TransitionError } from './transition';

export interface TaskSpec {
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  /** `runId/step/taskId` of each parent task (several for a join). */
  inputPaths: string[];
  /** Position of this task's item in its parent's foreach. */
  splitIndex?: number;
  retryCount: number;
}

/** What a task knows once its inputs are read, before the step runs. */
interface Prepared { stack: SplitFrame[]; step: StepInfo; parents: TaskRecord[]; cards: CardSession }

export class TaskRunner {
  private blobs: BlobReader;
  private runs = new Map<string, RunRecord>();

  constructor(private readonly datastore: Datastore) {
    this.blobs = new BlobReader(datastore);
  }

  private runRecord(flow: string, runId: string): RunRecord {
    const cacheKey = `${flow}/${runId}`;
    let run = this.runs.get(cacheKey);
    if (!run) {
      run = this.datastore.readJson<RunRecord>(keys.runRecord(flow, runId));
      if (!run) throw new Error(`run ${flow}/${runId} does not exist in ${this.datastore.location}`);
      this.runs.set(cacheKey, run);
    }
    return run;
  }

  private parentRecord(flow: string, path: string): TaskRecord {
    const { runId, step, taskId } = parseTaskPath(path);
    const record = this.datastore.readJson<TaskRecord>(keys.taskRecord(flow, runId, step, taskId));
    if (!record || record.status !== 'success') throw new Error(`input task ${flow}/${path} has not succeeded`);
    return record;
  }

  /** Runs the task and returns its record. `sink` also receives the step's output live. */
  async run(spec: TaskSpec, sink?: OutputSink): Promise<TaskRecord> {
    const { flow, runId, step, taskId, retryCount: attempt } = spec;
    const startedAt = new Date().toISOString();
    const log = (stream: 'stdout' | 'stderr', text: string) => {
      this.datastore.append(keys.log(flow, runId, step, taskId, attempt, stream), text);
      sink?.(stream, text);
    };
    const base = { flow, runId, step, taskId, attempt, startedAt, pid: process.pid, inputPaths: spec.inputPaths, splitIndex: spec.splitIndex };
    let prepared: Prepared | undefined;
    let record: TaskRecord | undefined;
    const restore = captureOutput(log);
    try {
      const outcome = await this.execute(spec, (p) => { prepared = p; });
      record = { ...base, status: 'success', finishedAt: new Date().toISOString(), stack: prepared!.stack, artifacts: outcome.artifacts, next: outcome.next };
    } catch (e) {
      const exception = exceptionRecord(e);
      process.stderr.write(`${exception.stack ?? `${exception.type}: ${exception.message}`}\n`);
      record = { ...base, status: 'failed', finishedAt: new Date().toISOString(), stack: prepared?.stack ?? [], artifacts: {}, exception };
      const meta = prepared?.step.meta;
      if (prepared && meta?.catchError && attempt >= (meta.retry?.times ?? 0)) {
        const caught = caughtRecord(this.datastore, record, this.runRecord(flow, runId), meta.catchError, prepared.parents, prepared.step.isJoin);
        if (caught) {
          record = caught;
          process.stderr.write(`The error is caught by @catchError${meta.catchError.var ? ` in '${meta.catchError.var}'` : ''}; the run goes on.\n`);
        }
      }
    } finally {
      // Cards before the task record, while the task's output still goes to its log.
      if (record) prepared?.cards.finish(record, this.runRecord(flow, runId));
      restore();
      setCurrent(undefined);
    }
    writeTaskRecord(this.datastore, record!);
    return record!;
  }

  private async execute(spec: TaskSpec, setPrepared: (p: Prepared) => void): Promise<{ artifacts: Record<string, ArtifactInfo>; next?: NextRecord }> {
    const run = this.runRecord(spec.flow, spec.runId);
    const codePath = this.datastore.localPath(run.code);
    if (!codePath) throw new Error('the datastore cannot give a local path for the code package');
    const cls = flowClassesOf(loadCodePackage(codePath)).get(spec.flow);
    if (!cls) throw new Error(`the code package of run ${spec.runId} has no flow ${spec.flow}`);
    // Parameters are named by the run record; only the steps come from the class.
    const info = { name: spec.flow, steps: stepsOf(cls) };
    const stepInfo = info.steps.get(spec.step);
    if (!stepInfo) throw new Error(`${spec.flow} has no step '${spec.step}'`);

    const parents = spec.inputPaths.map((p) => this.parentRecord(spec.flow, p));
    const stack = parents.length ? childStack(parents[0], spec.step, stepInfo.isJoin, spec.splitIndex) : [];
    const cards = new CardSession(this.datastore, spec, stepInfo.meta.cards ?? [], new Date().toISOString());
    setPrepared({ stack, step: stepInfo, parents, cards });

    const instance = new cls();
    const state = new ArtifactState(spec.flow, this.datastore, this.blobs);
    state.installFields(instance, run.parameters);
    // A join starts with only the parameters, as in Metaflow.
    if (!stepInfo.isJoin && parents[0]) state.inherit(instance, parents[0].artifacts);

    let transition: RecordedTransition | undefined;
    attachStepHooks(instance, this.hooks(spec, info, instance, state, stack, parents, (t) => {
      if (transition) throw new TransitionError(`this.next() was called twice in step '${spec.step}'; call it once, as the last thing on every path`);
      transition = t;
    }));
    setCurrent({
      flowName: spec.flow,
      runId: spec.runId,
      stepName: spec.step,
      taskId: spec.taskId,
      retryCount: spec.retryCount,
      originRunId: run.originRunId,
      tags: [...run.tags, ...run.systemTags],
      parameterNames: Object.keys(run.parameters),
      context: run.context ?? {},
      card: cards.api,
    });

    const args = stepInfo.isJoin ? [new Inputs(parents.map((p) => this.inputSource(p)))] : [];
    const leave = enterTaskEnvironment(run, `${spec.runId}-${spec.step}-${spec.taskId}`);
    try {
      await stepInfo.method.apply(instance, args);
    } finally {
      leave();
    }

    let next: NextRecord;
    if (spec.step === 'end') {
      if (transition) throw new TransitionError(`the end step must not call this.next()`);
      next = { kind: 'end', targets: [] };
    } else {
      if (!transition) throw new TransitionError(`step '${spec.step}' finished without calling this.next(); every path of a step must end with it`);
      const t = transition;
      const artifacts = state.persist(instance);
      next = resolveTransition(spec.step, t, (name) => (instance as Record<string, unknown>)[name], (name) => artifacts[name]?.hash);
      return { artifacts, next };
    }
    return { artifacts: state.persist(instance), next };
  }

  private inputSource(parent: TaskRecord): InputSource {
    const artifacts = Object.fromEntries(Object.entries(parent.artifacts).map(([name, info]) => [name, info.hash]));
    return {
      step: parent.step,
      taskPath: `${parent.runId}/${parent.step}/${parent.taskId}`,
      artifacts,
      load: (name) => this.blobs.value(parent.flow, parent.artifacts[name].hash),
    };
  }

  private hooks(spec: TaskSpec, info: Pick<FlowInfo, 'name' | 'steps'>, instance: object, state: ArtifactState, stack: SplitFrame[], parents: TaskRecord[], record: (t: RecordedTransition) => void): StepHooks {
    const foreachFrames = stack.filter((f) => f.kind === 'foreach');
    const itemOf = (frame: SplitFrame): unknown => (frame.valueHash ? this.blobs.foreachItem(spec.flow, frame.valueHash, frame.index) : undefined);
    const top = foreachFrames[foreachFrames.length - 1];
    const topIsOwnSplit = top !== undefined && stack[stack.length - 1] === top;
    let input: { value: unknown } | undefined;
    return {
      next: (args) => record(parseNextArguments(spec.step, args, info)),
      mergeArtifacts: (inputs, options) => {
        const sources = inputSourcesOf(inputs);
        const merged = planMerge(spec.step, sources, options, (name) => state.has(instance, name));
        for (const [name, hash] of merged) {
          const parent = parents.find((p) => p.artifacts[name]?.hash === hash)!;
          state.setByReference(instance, name, parent.artifacts[name]);
        }
      },
      get input() {
        if (!topIsOwnSplit) return undefined;
        input ??= { value: itemOf(top) };
        return input.value;
      },
      get index() {
        return topIsOwnSplit ? top.index : undefined;
      },
      foreachStack: (): ForeachFrame[] => foreachFrames.map((f) => foreachFrame(f.index, f.count, itemOf(f))),
    };
  }
}

function exceptionRecord(e: unknown): ExceptionRecord {
  if (e instanceof Error) return { type: e.name || 'Error', message: e.message, stack: userStack(e.stack) };
  return { type: typeof e, message: String(e) };
}

/** The stack without the runtime's own frames, so it points at the user's .ts lines. */
function userStack(stack: string | undefined): string | undefined {
  if (!stack) return stack;
  const self = __filename;
  return stack
    .split('\n')
    .filter((line) => !line.includes(self) && !line.includes('node:internal') && !/\(native\)|<anonymous>/.test(line))
    .join('\n');
}
