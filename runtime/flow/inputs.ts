// The `inputs` argument of a join: iterable, indexable, with `length` and one property per
// incoming step of a static split (`inputs.a`). Each element exposes one task's artifacts.
import type { FlowSpec, TypesOf } from './flowspec';

/** One incoming task, seen from a join: its artifacts as properties (typed for `InputTask<MyFlow>`). */
export type InputTask<F extends FlowSpec = FlowSpec> = TypesOf<F>['artifacts'];

/** What a join's inputs are besides their branches. */
export interface InputList<T> extends Iterable<T> {
  readonly length: number;
  readonly [index: number]: T;
}

/**
 * A join's `inputs`. `Inputs` types every artifact `any`; `Inputs<this>` takes the flow's generated
 * declarations (`flowspec types`): `inputs.a.x` has the type of `x` leaving step `a`, and each
 * element of the inputs the flow's artifact types.
 */
export type Inputs<F extends FlowSpec = FlowSpec> = InputList<InputTask<F>> & {
  readonly [S in keyof TypesOf<F>['branches']]: TypesOf<F>['branches'][S];
};

export interface InputSource {
  step: string;
  taskPath: string;
  /** artifact name → content hash */
  artifacts: Record<string, string>;
  load(name: string): unknown;
}

const SOURCES = Symbol.for('flowspec.inputSources');

class JoinInputs implements Iterable<InputTask> {
  [index: number]: InputTask;
  [step: string]: any;
  readonly length: number;

  constructor(sources: InputSource[]) {
    Object.defineProperty(this, SOURCES, { value: sources, enumerable: false });
    this.length = sources.length;
    sources.forEach((source, i) => {
      const task = inputTask(source);
      Object.defineProperty(this, i, { value: task, enumerable: true });
      if (!(source.step in this)) Object.defineProperty(this, source.step, { value: task, enumerable: false });
    });
  }

  *[Symbol.iterator](): Iterator<InputTask> {
    for (let i = 0; i < this.length; i++) yield this[i];
  }
}

/** The class of every join's inputs at run time (`inputs instanceof Inputs`). */
export const Inputs = JoinInputs;

export function inputSourcesOf(inputs: Inputs<any>): InputSource[] {
  const sources = (inputs as any)?.[SOURCES];
  if (!sources) throw new Error('mergeArtifacts expects the `inputs` argument of the join');
  return sources;
}

function inputTask(source: InputSource): InputTask {
  const task: InputTask = {};
  const cache = new Map<string, unknown>();
  for (const name of Object.keys(source.artifacts)) {
    Object.defineProperty(task, name, {
      enumerable: true,
      get() {
        if (!cache.has(name)) cache.set(name, source.load(name));
        return cache.get(name);
      },
    });
  }
  return task;
}
