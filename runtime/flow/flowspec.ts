// The base class of every flow. Its methods only forward to the task that is running the step
// (attached by runtime/task/runTask.ts), so a flow class carries no runtime state of its own.
import type { Inputs } from './inputs';
import { isProbedName } from '../errors';

export interface ForeachOptions {
  foreach: string;
}
/** Metaflow's num_parallel: N gang-scheduled tasks of a @parallel step, closed by a join. */
export interface ParallelOptions {
  numParallel: number;
}
export interface SwitchOptions {
  condition: string;
}
export interface MergeOptions {
  include?: string[];
  exclude?: string[];
}
/** One enclosing foreach: Metaflow's `(index, numSplits, value)` tuple, also readable by name. */
export type ForeachFrame = [index: number, numSplits: number, value: any] & { index: number; numSplits: number; value: any };

export function foreachFrame(index: number, numSplits: number, value: unknown): ForeachFrame {
  return Object.assign([index, numSplits, value] as [number, number, unknown], { index, numSplits, value });
}

/** What a running task provides to the flow instance. */
export interface StepHooks {
  next(args: unknown[]): void;
  mergeArtifacts(inputs: Inputs<any>, options: MergeOptions): void;
  readonly input: unknown;
  readonly index: number | undefined;
  foreachStack(): ForeachFrame[];
  /** While the step runs: the error for reading `name`, which the task does not have. */
  missingArtifact(name: string): Error | undefined;
}

const hooksByFlow = new WeakMap<object, StepHooks>();

export function attachStepHooks(flow: object, hooks: StepHooks): void {
  hooksByFlow.set(flow, hooks);
}

function hooksOf(flow: object, what: string): StepHooks {
  const hooks = hooksByFlow.get(flow);
  if (!hooks) throw new Error(`${what} can only be used inside a step run by flowspec`);
  return hooks;
}

type StepRef = (...args: any[]) => unknown;

/**
 * The key of a type-only member of every flow: the declarations `flowspec types` generates fill it
 * with the flow's foreach item type and its artifacts per step, which `this.input` and
 * `Inputs<this>` read. Nothing exists at run time under it.
 */
export declare const FLOW_TYPES: unique symbol;

/** What generated declarations say about a flow beyond its artifacts' types (see FLOW_TYPES). */
export interface FlowTypes {
  /** `this.input`: the element type of the foreach list(s). */
  input: unknown;
  /** One element of a join's inputs: the flow's artifacts. */
  artifacts: object;
  /** `inputs.<step>` of a join: the artifacts that leave that step. */
  branches: object;
}

/** A task's artifacts without generated declarations: any name, any value. */
export interface UntypedArtifacts {
  [artifact: string]: any;
}

/** A join's branches without generated declarations: any step name. */
export interface UntypedBranches {
  [step: string]: any;
}

/** A flow without generated declarations: every artifact is `any`, as written. */
interface UntypedFlow extends FlowTypes {
  input: any;
  artifacts: UntypedArtifacts;
  branches: UntypedBranches;
}

/** The types generated for flow `F`, or the untyped ones. */
export type TypesOf<F extends FlowSpec> = NonNullable<F[typeof FLOW_TYPES]>;

export class FlowSpec {
  /**
   * Artifacts are set and read as plain properties: `this.x = 1`, `this.x`. Generated declarations
   * (`flowspec types`) give each artifact of an exported flow its type; the rest stay `any`.
   */
  [artifact: string]: any;

  declare readonly [FLOW_TYPES]?: UntypedFlow;

  /**
   * Names the step(s) that come next. Call it last, once, on every path of a step:
   * `this.next(this.a)`, `this.next(this.a, this.b)`, `this.next(this.a, { foreach: 'items' })`,
   * `this.next({ fast: this.a, slow: this.b }, { condition: 'mode' })`,
   * `this.next(this.train, { numParallel: 4 })` (a @parallel step).
   */
  next(...targets: Array<StepRef | Record<string, StepRef> | ForeachOptions | SwitchOptions | ParallelOptions>): void {
    hooksOf(this, 'this.next()').next(targets);
  }

  /** In a join: takes every artifact that all inputs agree on (by content) into this step. */
  mergeArtifacts(inputs: Inputs<any>, options: MergeOptions = {}): void {
    hooksOf(this, 'this.mergeArtifacts()').mergeArtifacts(inputs, options);
  }

  /** In a foreach task: the item this task works on. */
  get input(): TypesOf<this>['input'] {
    return hooksOf(this, 'this.input').input;
  }

  /** In a foreach task: the position of the item. */
  get index(): number | undefined {
    return hooksOf(this, 'this.index').index;
  }

  /** `(index, numSplits, value)` of every enclosing foreach, outermost first. */
  foreachStack(): ForeachFrame[] {
    return hooksOf(this, 'this.foreachStack()').foreachStack();
  }
}

// A read of a name the instance does not have ends its lookup on the prototype chain here: while a
// step runs, the task says which artifact is missing (Metaflow's AttributeError); otherwise, and
// for symbols and probed names, it is `undefined` as for any object. `'x' in this` is untouched.
Object.setPrototypeOf(
  FlowSpec.prototype,
  new Proxy(Object.prototype, {
    get(target, key, receiver) {
      if (isProbedName(key) || key in target) return Reflect.get(target, key, receiver);
      const missing = hooksByFlow.get(receiver)?.missingArtifact(key);
      if (missing) throw missing;
      return undefined;
    },
  }),
);
