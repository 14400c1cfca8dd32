// Step decorators (TypeScript 5 standard decorators). Each one records its options on the method.
import {
  CardOptions,
  CatchOptions,
  EnvironmentOptions,
  ResourcesOptions,
  RetryOptions,
  SlurmOptions,
  stepMetaOf,
  TimeoutOptions,
  updateStepMeta,
} from './stepMeta';
import { UserError } from '../errors';
import { ENV_NAME } from './envName';
import { parseSecretSources, SecretSource } from './secretSources';

type Method = (...args: any[]) => any;

/** What a decorator call such as `@retry({ times: 2 })` returns: the decorator itself. */
export type StepDecorator = <T extends Method>(method: T, context: ClassMethodDecoratorContext) => T;

/** A decorator whose options are all optional: written bare (`@retry`) or called (`@retry({ times: 2 })`). */
export interface OptionalOptionsDecorator<O> {
  <T extends Method>(method: T, context: ClassMethodDecoratorContext): T;
  (options?: O): StepDecorator;
}

/** True when a decorator function was applied bare: it got the method and its context, not options. */
function appliedBare(args: unknown[]): args is [Method, ClassMethodDecoratorContext] {
  return typeof args[0] === 'function' && typeof args[1] === 'object' && args[1] !== null && 'kind' in args[1];
}

/** A decorator usable in both forms; `record` stores the options (`{}` when bare) on the method. */
function optionalOptions<O>(record: (method: Method, options: O) => void): OptionalOptionsDecorator<O> {
  return ((...args: unknown[]) => {
    if (appliedBare(args)) {
      record(args[0], {} as O);
      return args[0];
    }
    const options = (args[0] ?? {}) as O;
    return (method: Method) => {
      record(method, options);
      return method;
    };
  }) as OptionalOptionsDecorator<O>;
}

/** Marks a method as a step of the flow. */
export function step<T extends Method>(method: T, context: ClassMethodDecoratorContext): T {
  if (!appliedBare([method, context])) throw new Error('@step takes no options: write @step, without parentheses');
  if (context.kind !== 'method') throw new Error('@step applies to methods only');
  updateStepMeta(method, { isStep: true, name: String(context.name) });
  return method;
}

/**
 * Retries a failed task `times` times (default 3). As in Metaflow, a local run retries at once;
 * remote engines (Argo) wait `minutesBetweenRetries` (default 2) between attempts. A local run
 * waits only when `minutesBetweenRetries` is given explicitly.
 */
export const retry = optionalOptions<RetryOptions>((method, options) =>
  updateStepMeta(method, {
    retry: {
      times: options.times ?? 3,
      ...(options.minutesBetweenRetries !== undefined ? { minutesBetweenRetries: options.minutesBetweenRetries } : {}),
    },
  }),
);

/** Minutes a remote engine waits between attempts: the given value, else Metaflow's default 2. */
export function remoteRetryDelayMinutes(r: RetryOptions): number {
  return r.minutesBetweenRetries ?? 2;
}

/** Metaflow's `@catch`: a failure of the step is stored in the artifact `var` and the run goes on. */
export const catchError = optionalOptions<CatchOptions>((method, options) => updateStepMeta(method, { catchError: { ...options } }));

/**
 * Raises a TimeoutError in the step when it runs longer than the given time (task/stepTimeout.ts);
 * counts as a failure of the step. It needs a duration, so it is never bare.
 */
export function timeout(options: TimeoutOptions): StepDecorator {
  // Written bare, `@timeout` is handed the method where its options go.
  if (typeof options !== 'object' || options === null) throw new Error('@timeout needs a duration: write @timeout({ seconds: N })');
  return (method) => {
    updateStepMeta(method, { timeout: { ...options } });
    return method;
  };
}

/**
 * What the step's task needs: `cpu`, `memory` (MB, or a Kubernetes quantity such as '4Gi'), `gpu`.
 * Recorded only: the local scheduler ignores it; `flowspec argo create` turns it into the
 * container's resource requests, `run --with slurm` into `--cpus-per-task`, `--mem`, `--gres=gpu:N`.
 */
export const resources = optionalOptions<ResourcesOptions>((method, options) => updateStepMeta(method, { resources: { ...options } }));

/**
 * Metaflow's @parallel: the step runs as a gang of N tasks started together, one per node of a
 * distributed job (`this.next(this.train, { numParallel: N })`); `current.parallel` tells each
 * task its `nodeIndex`, `numNodes` and the `mainIp` of node 0. The step after it is a join.
 */
export const parallel = optionalOptions<Record<string, never>>((method) => updateStepMeta(method, { parallel: true }));

/**
 * Where the step's tasks go on Slurm (`run --with slurm`): `partition`, `account`, `qos`, `time`
 * (Slurm's format, e.g. '2:00:00'; else @timeout's), `constraint`, and `extra` sbatch arguments.
 * Ignored by local runs. Defaults come from the `slurm` section of flowspec.config.json.
 */
export const slurm = optionalOptions<SlurmOptions>((method, options) =>
  updateStepMeta(method, { slurm: { ...options, ...(options.extra ? { extra: [...options.extra] } : {}) } }),
);

/**
 * Metaflow's `@card`: the task stores a card, a page of components (`current.card.append(...)`).
 * Several @card on one step need an `id` each but one (`current.card[id]`).
 */
export const card = optionalOptions<CardOptions>((method, options) => {
  // Decorators apply bottom-up: put this one before those already applied to keep source order.
  const existing = stepMetaOf(method)?.cards ?? [];
  if (options.customize && existing.some((c) => c.customize))
    throw new Error('only one @card of a step may have customize: true (it is the card current.card edits)');
  updateStepMeta(method, { cards: [{ ...options }, ...existing] });
});

/**
 * Metaflow's `@environment`: `vars` are set in the environment of every task of the step, on every
 * engine (local workers, Slurm jobs, Argo pods), before the step runs and undone after it; values
 * become strings. Several @environment on one step add up.
 */
export function environment(options: EnvironmentOptions) {
  const vars = options?.vars;
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) throw new UserError('@environment needs { vars: { NAME: value } }');
  const named: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) {
    if (!ENV_NAME.test(name))
      throw new UserError(`@environment: '${name}' is not an environment variable name (letters, digits and _, not a digit first)`);
    if (!['string', 'number', 'boolean'].includes(typeof value))
      throw new UserError(
        `@environment: the value of ${name} is a ${value === null ? 'null' : typeof value}; give a string, number or boolean`,
      );
    named[name] = String(value);
  }
  return <T extends Method>(method: T, _context: ClassMethodDecoratorContext): T => {
    updateStepMeta(method, { environment: { ...named, ...stepMetaOf(method)?.environment } });
    return method;
  };
}

/**
 * How long after its @timeout a task that did not raise it (a step blocked in native code) is
 * killed: by the local scheduler, and by Argo (activeDeadlineSeconds).
 */
export const TIMEOUT_KILL_GRACE_MS = 5_000;

/**
 * Metaflow's `@secrets`: each source's value is fetched when the task starts and put in its
 * environment; a missing one fails the task before the step runs. A value never reaches the
 * datastore: it is redacted from logs, cards and errors, and an artifact holding it is refused.
 */
export function secrets(options: { sources: SecretSource[] }) {
  const specs = parseSecretSources(options?.sources);
  return <T extends Method>(method: T, _context: ClassMethodDecoratorContext): T => {
    updateStepMeta(method, { secrets: parseSecretSources([...(stepMetaOf(method)?.secrets ?? []), ...specs]) });
    return method;
  };
}

export function timeoutMs(t: TimeoutOptions | undefined): number | undefined {
  if (!t) return undefined;
  const s = (t.seconds ?? 0) + 60 * (t.minutes ?? 0) + 3600 * (t.hours ?? 0);
  return s > 0 ? s * 1000 : undefined;
}
