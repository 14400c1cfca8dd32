// The `inputs` argument of a join: iterable, indexable, with `length` and one property per
// incoming step of a static split (`inputs.a`). Each element exposes one task's artifacts.

/** One incoming task, seen from a join: its artifacts as properties. */
export type InputTask = { [artifact: string]: any };

export interface InputSource {
  step: string;
  taskPath: string;
  /** artifact name → content hash */
  artifacts: Record<string, string>;
  load(name: string): unknown;
}

const SOURCES = Symbol.for('flowspec.inputSources');

export class Inputs implements Iterable<InputTask> {
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

export function inputSourcesOf(inputs: Inputs): InputSource[] {
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
