// Runs one task: the single entry point every scheduler uses (`flowspec step`, the local
// scheduler's warm workers, a remote engine). It reads its inputs from the datastore, runs the
// step, stores the artifacts, and writes the task record last, so a task either fully happened
// or did not happen at all.
import type { Datastore } from '../datastore';
import { ArtifactInfo, canonicalHash } from '../datastore/artifacts';
import {
  ExceptionRecord,
  keys,
  NextRecord,
  parseTaskPath,
  readRunRecord,
  readTaskRecord,
  RunRecord,
  SplitFrame,
  TaskRecord,
  writeTaskRecord,
} from '../datastore/records';
import { CardSession } from '../cards/session';
import { ParallelInfo, setCurrent } from '../flow/current';
import { attachStepHooks, ForeachFrame, foreachFrame, StepHooks } from '../flow/flowspec';
import { InputSource, Inputs, inputSourcesOf } from '../flow/inputs';
import { FlowInfo, StepInfo, stepsOf } from '../flowcode/introspect';
import { caughtRecord } from './caught';
import { enterTaskEnvironment } from './taskEnvironment';
import { hasConfigExpr } from '../flow/config';
import { stepMetaWithConfigs } from '../flowcode/applyConfigs';
import { fetchSecrets, Redactor } from './secrets';
import { ClassRegistry, flowClassesOf, loadCodePackage } from '../flowcode/load';
import { verifiedCodePackage } from '../flowcode/bundle';
import { ArtifactState } from './artifactState';
import { isNoSpace, UnknownArtifactError } from '../errors';
import { closest } from '../../model/suggest';
import { restoreClasses } from './classes';
import { guardMembers } from './members';
import { BlobReader } from './blobReader';
import { planMerge } from './merge';
import { captureOutput, OutputSink } from './outputCapture';
import { childStack } from './stack';
import { runWithTimeout } from './stepTimeout';
import { timeoutMs } from '../flow/decorators';
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
  /** Facts of where the task runs (`flowspec step --metadata K=V`: a Slurm job id), kept in its record. */
  metadata?: Record<string, string>;
}

/** How many parent records a runner keeps (a join's thousands of inputs pass through, each read once). */
const PARENTS_KEPT = 8;

/** What a task knows once its inputs are read, and (once the flow is constructed) its artifacts. */
interface Prepared {
  stack: SplitFrame[];
  step: StepInfo;
  parents: TaskRecord[];
  cards: CardSession;
  /** The code package's exports: the flow classes' compiled names map to the user's in a stack trace. */
  exports: Record<string, unknown>;
  artifacts?: { instance: object; state: ArtifactState };
}

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
      run = readRunRecord(this.datastore, flow, runId);
      if (!run) throw new Error(`run ${flow}/${runId} does not exist in ${this.datastore.location}`);
      this.runs.set(cacheKey, run);
    }
    return run;
  }

  /**
   * The last parents read (a succeeded task's record never changes): the thousands of tasks of a
   * foreach that a warm worker runs share one parent. Records are read-only to the runner.
   */
  private parents = new Map<string, TaskRecord>();

  private parentRecord(flow: string, path: string): TaskRecord {
    const cacheKey = `${flow}/${path}`;
    const cached = this.parents.get(cacheKey);
    if (cached) return cached;
    const { runId, step, taskId } = parseTaskPath(path);
    const record = readTaskRecord(this.datastore, flow, runId, step, taskId);
    if (!record || record.status !== 'success') throw new Error(`input task ${flow}/${path} has not succeeded`);
    this.parents.set(cacheKey, record);
    if (this.parents.size > PARENTS_KEPT) this.parents.delete(this.parents.keys().next().value!);
    return record;
  }

  /** Runs the task and returns its record. `sink` also receives the step's output live. */
  async run(spec: TaskSpec, sink?: OutputSink): Promise<TaskRecord> {
    const { flow, runId, step, taskId, retryCount: attempt } = spec;
    const startedAt = new Date().toISOString();
    let logsLost = false;
    // Fills when the step's @secrets are fetched; from then on nothing stored holds their values.
    const redactor = new Redactor();
    const log = (stream: 'stdout' | 'stderr', raw: string) => {
      const text = redactor.active ? redactor.text(raw) : raw;
      // On a full disk the output still reaches the scheduler; the store says once what it lost.
      if (!logsLost) {
        try {
          this.datastore.append(keys.log(flow, runId, step, taskId, attempt, stream), text);
        } catch (e) {
          if (!isNoSpace(e)) throw e;
          logsLost = true;
          sink?.('stderr', `flowspec: ${(e as Error).message}: the rest of this task's output is not stored\n`);
        }
      }
      sink?.(stream, text);
    };
    const base = {
      flow,
      runId,
      step,
      taskId,
      attempt,
      startedAt,
      pid: process.pid,
      inputPaths: spec.inputPaths,
      splitIndex: spec.splitIndex,
      ...(spec.metadata ? { metadata: spec.metadata } : {}),
    };
    let prepared: Prepared | undefined;
    let record: TaskRecord | undefined;
    const restore = captureOutput(log);
    try {
      const outcome = await this.execute(spec, redactor, (p) => {
        prepared = p;
      });
      record = {
        ...base,
        status: 'success',
        finishedAt: new Date().toISOString(),
        stack: prepared!.stack,
        artifacts: outcome.artifacts,
        next: outcome.next,
        ...stepEnvironment(prepared),
      };
    } catch (e) {
      const exception = redactor.data(exceptionRecord(e, prepared && compiledClassNames(prepared.exports)));
      process.stderr.write(`${exception.stack ?? `${exception.type}: ${exception.message}`}\n`);
      record = {
        ...base,
        status: 'failed',
        finishedAt: new Date().toISOString(),
        stack: prepared?.stack ?? [],
        artifacts: {},
        exception,
        ...stepEnvironment(prepared),
      };
      const meta = prepared?.step.meta;
      if (prepared && meta?.catchError && attempt >= (meta.retry?.times ?? 0)) {
        const start = { parents: prepared.parents, isJoin: prepared.step.isJoin, kept: keptArtifacts(prepared) };
        const caught = caughtRecord(this.datastore, record, this.runRecord(flow, runId), meta.catchError, start);
        if (caught) {
          record = caught;
          process.stderr.write(
            `The error is caught by @catchError${meta.catchError.var ? ` in '${meta.catchError.var}'` : ''}; the run goes on.\n`,
          );
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

  private async execute(
    spec: TaskSpec,
    redactor: Redactor,
    setPrepared: (p: Prepared) => void,
  ): Promise<{ artifacts: Record<string, ArtifactInfo>; next?: NextRecord }> {
    const run = this.runRecord(spec.flow, spec.runId);
    const codePath = verifiedCodePackage(this.datastore, run.code);
    const { exports, classes } = await loadCodePackage(codePath);
    const cls = flowClassesOf(exports).get(spec.flow);
    if (!cls) throw new Error(`the code package of run ${spec.runId} has no flow ${spec.flow}`);
    // Parameters are named by the run record; only the steps come from the class.
    const info = { name: spec.flow, steps: stepsOf(cls) };
    const declared = info.steps.get(spec.step);
    if (!declared) throw new Error(`${spec.flow} has no step '${spec.step}'`);
    // A spin with --skip-decorators runs the bare step (spin refuses a @parallel step, so none is a gang node).
    const stepInfo = run.spin?.skipDecorators
      ? { ...declared, meta: { isStep: true, name: declared.name } }
      : { ...declared, meta: this.withConfigs(run, declared) };

    const parents = spec.inputPaths.map((p) => this.parentRecord(spec.flow, p));
    const stack = parents.length ? childStack(parents[0], spec.step, stepInfo.isJoin, spec.splitIndex) : [];
    const cards = new CardSession(this.datastore, spec, stepInfo.meta.cards ?? [], new Date().toISOString(), redactor);
    setPrepared({ stack, step: stepInfo, parents, cards, exports });
    const fetched = fetchSecrets(stepInfo.meta.secrets ?? []);
    redactor.add(fetched);

    const instance = new cls();
    guardMembers(instance, info.steps.keys());
    const state = new ArtifactState(spec.flow, this.datastore, this.blobs, classes, (name, bytes) => redactor.checkArtifact(name, bytes));
    state.installFields(instance, run.parameters, run.constants, run.configs);
    // A join starts with only the parameters, as in Metaflow.
    if (!stepInfo.isJoin && parents[0]) state.inherit(instance, parents[0].artifacts);
    // A spin's --artifacts replace what the task would have started with.
    for (const [name, artifact] of Object.entries(run.spin?.overrides ?? {})) state.setByReference(instance, name, artifact);
    setPrepared({ stack, step: stepInfo, parents, cards, exports, artifacts: { instance, state } });

    let transition: RecordedTransition | undefined;
    const running = { now: false };
    attachStepHooks(
      instance,
      this.hooks(spec, info, instance, state, stack, parents, running, (t) => {
        if (transition)
          throw new TransitionError(`this.next() was called twice in step '${spec.step}'; call it once, as the last thing on every path`);
        transition = t;
      }),
    );
    setCurrent({
      flowName: spec.flow,
      runId: spec.runId,
      stepName: spec.step,
      taskId: spec.taskId,
      retryCount: spec.retryCount,
      originRunId: run.originRunId,
      // As Metaflow: the user's tags (--tag); system tags stay on the run.
      tags: [...run.tags],
      parameterNames: Object.keys(run.parameters),
      context: run.context ?? {},
      ...parallelInfo(stack),
      card: cards.api,
      ...(run.project ? { project: run.project } : {}),
    });

    const args = stepInfo.isJoin ? [new Inputs(parents.map((p) => this.inputSource(p, classes)))] : [];
    const taskVars = { ...stepInfo.meta.environment, ...Object.fromEntries(fetched.map((s) => [s.env, s.value])) };
    const leave = enterTaskEnvironment(run, taskVars, `${spec.runId}-${spec.step}-${spec.taskId}`);
    const limit = timeoutMs(stepInfo.meta.timeout);
    running.now = true;
    try {
      if (limit) await runWithTimeout(() => stepInfo.method.apply(instance, args), limit, spec.step);
      else await stepInfo.method.apply(instance, args);
    } finally {
      running.now = false;
      leave();
    }

    // As Metaflow: a @catchError step that did not fail has its `var` set to null.
    const caughtVar = stepInfo.meta.catchError?.var;
    if (caughtVar) (instance as Record<string, unknown>)[caughtVar] = null;

    let next: NextRecord;
    if (spec.step === 'end') {
      if (transition) throw new TransitionError(`the end step must not call this.next()`);
      next = { kind: 'end', targets: [] };
    } else {
      if (!transition)
        throw new TransitionError(`step '${spec.step}' finished without calling this.next(); every path of a step must end with it`);
      const t = transition;
      const artifacts = state.persist(instance);
      next = resolveTransition(
        spec.step,
        t,
        (name) => (instance as Record<string, unknown>)[name],
        (name) => artifacts[name]?.hash,
      );
      return { artifacts, next };
    }
    return { artifacts: state.persist(instance), next };
  }

  /** The step's decorator options with the run's config values where it used configExpr. */
  private withConfigs(run: RunRecord, step: StepInfo): StepInfo['meta'] {
    if (!hasConfigExpr(step.meta)) return step.meta;
    const values = Object.fromEntries(
      Object.entries(run.configs ?? {}).map(([name, c]) => [name, this.blobs.value(run.flow, c.hash, `config '${name}'`)]),
    );
    return stepMetaWithConfigs(step.name, step.meta, values);
  }

  private inputSource(parent: TaskRecord, classes: ClassRegistry): InputSource {
    const artifacts = Object.fromEntries(Object.entries(parent.artifacts).map(([name, info]) => [name, info.hash]));
    return {
      step: parent.step,
      taskPath: `${parent.runId}/${parent.step}/${parent.taskId}`,
      artifacts,
      load: (name) =>
        restoreClasses(
          this.blobs.value(
            parent.flow,
            parent.artifacts[name].hash,
            `artifact '${name}' of input ${parent.runId}/${parent.step}/${parent.taskId}`,
          ),
          parent.artifacts[name],
          classes,
        ),
    };
  }

  private hooks(
    spec: TaskSpec,
    info: Pick<FlowInfo, 'name' | 'steps'>,
    instance: object,
    state: ArtifactState,
    stack: SplitFrame[],
    parents: TaskRecord[],
    running: { now: boolean },
    record: (t: RecordedTransition) => void,
  ): StepHooks {
    const foreachFrames = stack.filter((f) => f.kind === 'foreach');
    // A node of a @parallel gang has its node index as its item, as in Metaflow.
    const itemOf = (frame: SplitFrame): unknown =>
      frame.parallel ? frame.index : frame.valueHash ? this.blobs.foreachItem(spec.flow, frame.valueHash, frame.index) : undefined;
    const top = foreachFrames[foreachFrames.length - 1];
    const own = top !== undefined && stack[stack.length - 1] === top ? top : undefined;
    return new TaskHooks(own && (() => itemOf(own)), own?.index, {
      next: (args) => record(parseNextArguments(spec.step, args, info)),
      mergeArtifacts: (inputs, options) => {
        const sources = inputSourcesOf(inputs);
        const merged = planMerge(
          spec.step,
          sources,
          options,
          (name) => state.has(instance, name),
          (hash) => canonicalHash(this.blobs.bytes(spec.flow, hash)),
        );
        for (const [name, hash] of merged) {
          const parent = parents.find((p) => p.artifacts[name]?.hash === hash)!;
          state.setByReference(instance, name, parent.artifacts[name]);
        }
      },
      foreachStack: (): ForeachFrame[] => foreachFrames.map((f) => foreachFrame(f.index, f.count, itemOf(f))),
      missingArtifact: (name) => (running.now ? missingArtifactError(spec, instance, name, parents) : undefined),
    });
  }
}

/**
 * A task's hooks, with `input` (the item of the task's own foreach, read once) and `index` as
 * getters of a class: getters in an object literal gave every task a new hidden class, which V8
 * keeps in its old generation, and which kept each task's objects past the young collections.
 */
class TaskHooks implements StepHooks {
  readonly next: StepHooks['next'];
  readonly mergeArtifacts: StepHooks['mergeArtifacts'];
  readonly foreachStack: StepHooks['foreachStack'];
  readonly missingArtifact: StepHooks['missingArtifact'];
  private item?: { value: unknown };

  constructor(
    private readonly readItem: (() => unknown) | undefined,
    readonly index: number | undefined,
    methods: Pick<StepHooks, 'next' | 'mergeArtifacts' | 'foreachStack' | 'missingArtifact'>,
  ) {
    this.next = methods.next;
    this.mergeArtifacts = methods.mergeArtifacts;
    this.foreachStack = methods.foreachStack;
    this.missingArtifact = methods.missingArtifact;
  }

  get input(): unknown {
    if (!this.readItem) return undefined;
    this.item ??= { value: this.readItem() };
    return this.item.value;
  }
}

/** Reading `this.<name>` in a step whose task has no such artifact: what is missing, where, and what is there. */
function missingArtifactError(spec: TaskSpec, instance: object, name: string, parents: TaskRecord[]): UnknownArtifactError {
  const here = Object.keys(instance);
  const suggestion = closest(name, here);
  const fromInputs = spec.inputPaths.length > 1 && parents.some((p) => name in p.artifacts);
  const base = `step '${spec.step}' of ${spec.flow} reads this.${name}, an artifact this task does not have`;
  if (fromInputs)
    return new UnknownArtifactError(
      name,
      `${base}: a join starts with only the parameters; read inputs.<step>.${name}, assign it, or call this.mergeArtifacts(inputs)`,
    );
  if (suggestion) return new UnknownArtifactError(name, `${base}; did you mean '${suggestion}'?`);
  const shown = here.length
    ? ` (it has ${here
        .slice(0, 10)
        .map((n) => `'${n}'`)
        .join(', ')}${here.length > 10 ? ', ...' : ''})`
    : '';
  return new UnknownArtifactError(name, `${base}${shown}; test an optional artifact with '${name}' in this`);
}

/** `current.parallel` from the task's innermost frame: a node of a gang, or Metaflow's defaults. */
function parallelInfo(stack: SplitFrame[]): { isParallel: boolean; parallel: ParallelInfo } {
  const top = stack[stack.length - 1];
  // Local gangs run on this machine: node 0 is reached at the loopback address.
  if (top?.parallel) return { isParallel: true, parallel: { numNodes: top.count, nodeIndex: top.index, mainIp: '127.0.0.1' } };
  return { isParallel: false, parallel: { numNodes: 1, nodeIndex: 0, mainIp: '127.0.0.1' } };
}

/** The step's @environment, kept in the task's record (`flowspec dump` shows it). */
function stepEnvironment(prepared: Prepared | undefined): Pick<TaskRecord, 'environment'> {
  const vars = prepared?.step.meta.environment;
  return vars && Object.keys(vars).length ? { environment: vars } : {};
}

/** What a failed step had assigned, stored; undefined when that cannot be stored either. */
function keptArtifacts(prepared: Prepared): Record<string, ArtifactInfo> | undefined {
  if (!prepared.artifacts) return undefined;
  try {
    return prepared.artifacts.state.persist(prepared.artifacts.instance);
  } catch {
    return undefined;
  }
}

function exceptionRecord(e: unknown, classNames = new Map<string, string>()): ExceptionRecord {
  if (e instanceof Error) return { type: e.name || 'Error', message: e.message, stack: userStack(e.stack, classNames) };
  return { type: typeof e, message: String(e) };
}

/**
 * The names esbuild gave the flow classes it compiled (lowering decorators turns `class MyFlow`
 * into `class _MyFlow2`, while `MyFlow.name` stays the user's), mapped to the user's names.
 */
function compiledClassNames(exports: Record<string, unknown>): Map<string, string> {
  const names = new Map<string, string>();
  for (const cls of flowClassesOf(exports).values()) {
    const compiled = /^class\s+([\w$]+)/.exec(Function.prototype.toString.call(cls))?.[1];
    if (compiled && compiled !== cls.name) names.set(compiled, cls.name);
  }
  return names;
}

/** The stack without the runtime's own frames and with the user's class names, so it reads as the user's .ts code. */
function userStack(stack: string | undefined, classNames: Map<string, string>): string | undefined {
  if (!stack) return stack;
  const self = __filename;
  const compiled = classNames.size
    ? new RegExp(`(?<=^\\s+at (?:async |new )?)(${[...classNames.keys()].map(escapeRegExp).join('|')})\\b`)
    : undefined;
  return stack
    .split('\n')
    .filter((line) => !line.includes(self) && !line.includes('node:internal') && !/\(native\)|<anonymous>/.test(line))
    .map((line) => (compiled ? line.replace(compiled, (name) => classNames.get(name)!) : line))
    .join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[$\\^.*+?()[\]{}|]/g, '\\$&');
}
