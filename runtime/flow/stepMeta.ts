// Metadata that decorators attach to step methods. Decorators only record; the task runner and
// the scheduler read it. Kept on the function object so decorator order does not matter.
import type { SecretSpec } from './secretSources';

/** `minutesBetweenRetries` stays unset unless given: local runs then retry at once, remote engines wait 2 minutes. */
export interface RetryOptions {
  times?: number;
  minutesBetweenRetries?: number;
}
export interface CatchOptions {
  var?: string;
  printException?: boolean;
}
export interface TimeoutOptions {
  seconds?: number;
  minutes?: number;
  hours?: number;
}
/** What a task asks of the machine that runs it: CPUs (a number or a Kubernetes quantity like '500m'), memory in MB (or a quantity like '4Gi'), GPUs. */
export interface ResourcesOptions {
  cpu?: number | string;
  memory?: number | string;
  gpu?: number;
}
/** A card of the step's task: `type` 'default' (the task's facts after your components) or 'blank'; `timeout` in seconds bounds building it; `customize` makes it what `current.card` edits. */
export interface CardOptions {
  type?: 'default' | 'blank';
  id?: string;
  options?: { title?: string } & Record<string, unknown>;
  timeout?: number;
  /** Metaflow's `customize=True`: this card is the one `current.card` edits, whatever the step's other cards. One per step. */
  customize?: boolean;
}

/** How a step's tasks are submitted to Slurm (`run --with slurm`): sbatch's options of the same names; `extra` is passed as is. */
export interface SlurmOptions {
  partition?: string;
  account?: string;
  qos?: string;
  time?: string;
  constraint?: string;
  extra?: string[];
}

/** Metaflow's `@environment`: variables set in the environment of each task of the step; values become strings. */
export interface EnvironmentOptions {
  vars: Record<string, string | number | boolean>;
}

export interface StepMeta {
  isStep: boolean;
  name?: string;
  retry?: RetryOptions;
  catchError?: CatchOptions;
  timeout?: TimeoutOptions;
  resources?: ResourcesOptions;
  /** @parallel: the step runs as a gang of `numParallel` tasks. */
  parallel?: boolean;
  slurm?: SlurmOptions;
  /** One entry per @card, top to bottom. */
  cards?: CardOptions[];
  /** @environment: variables of each task's environment, as strings. */
  environment?: Record<string, string>;
  /** @secrets: where each secret comes from and the variable it becomes. */
  secrets?: SecretSpec[];
}

const STEP_META = Symbol.for('flowspec.stepMeta');

type Fn = ((...args: any[]) => unknown) & { [STEP_META]?: StepMeta };

export function stepMetaOf(fn: unknown): StepMeta | undefined {
  return typeof fn === 'function' ? (fn as Fn)[STEP_META] : undefined;
}

export function updateStepMeta(fn: Fn, update: Partial<StepMeta>): void {
  const meta = fn[STEP_META] ?? { isStep: false };
  Object.assign(meta, update);
  Object.defineProperty(fn, STEP_META, { value: meta, configurable: true, enumerable: false });
}
