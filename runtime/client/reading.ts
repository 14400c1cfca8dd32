// What the client API's classes share: where they read (options), the error for a missing thing,
// the order of ids, and reading a stored value.
import { datastoreRoot, openDatastore } from '../datastore';
import type { Datastore } from '../datastore';
import { deserializeArtifact } from '../datastore/artifacts';
import { keys } from '../datastore/records';
import { DamagedError, isDamaged, isProbedName, UnknownArtifactError } from '../errors';
import { closest } from '../../model/suggest';

export interface ClientOptions {
  /** Datastore root; default the one `datastoreRoot()` finds from the cwd (runtime/datastore/root.ts). */
  root?: string;
  datastore?: Datastore;
  /** The namespace (a tag) runs are filtered by; null: every run. Default: the global `namespace()`, `user:NAME` unless changed. */
  namespace?: string | null;
}

export function storeOf(options: ClientOptions = {}): Datastore {
  return options.datastore ?? openDatastore(options.root ?? datastoreRoot());
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Reading `data.<name>` of `what` (a task, a run), which has only `names`. */
function missingData(what: string, name: string, names: string[]): UnknownArtifactError {
  const suggestion = closest(name, names);
  const hint = suggestion
    ? `; did you mean '${suggestion}'?`
    : names.length
      ? ` (it has ${names
          .slice(0, 10)
          .map((n) => `'${n}'`)
          .join(', ')}${names.length > 10 ? ', ...' : ''})`
      : ' (it has no artifacts)';
  return new UnknownArtifactError(name, `${what} has no artifact '${name}'${hint}; test one with '${name}' in data`);
}

/**
 * The `data` of a task or a run (`what`, as errors name it): `data.<name>` loads that artifact's
 * value; a name it does not have throws UnknownArtifactError (Metaflow's KeyError), except a name
 * that libraries probe objects for (`then`, `toJSON`, ...: undefined); `'x' in data` tests a name
 * and the keys are the artifact names.
 */
export function artifactData(what: string, names: string[], load: (name: string) => unknown): Record<string, any> {
  const has = (name: string | symbol): name is string => typeof name === 'string' && names.includes(name);
  return new Proxy(
    {},
    {
      get: (_t, name) => {
        if (has(name)) return load(name);
        if (isProbedName(name)) return undefined;
        throw missingData(what, name, names);
      },
      has: (_t, name) => has(name),
      ownKeys: () => names,
      getOwnPropertyDescriptor: (_t, name) => (has(name) ? { enumerable: true, configurable: true, value: load(name) } : undefined),
    },
  );
}

/** Run and task ids in order: numbers as numbers, also inside names (`t-2` before `t-10`). */
export const byNumber = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The ids of a step's tasks, in the order they were created (foreach tasks in split order). */
export function taskIds(store: Datastore, flow: string, runId: string, step: string): string[] {
  return store.list(keys.tasks(flow, runId, step)).sort(byNumber);
}

/** A stored value (`bytes`: its blob, when read and checked already); a damaged blob throws a DamagedError naming `what` and the file. */
export function readArtifact(store: Datastore, flow: string, hash: string, what: string, bytes?: Buffer): unknown {
  try {
    return deserializeArtifact(bytes ?? store.getBlob(flow, hash));
  } catch (e) {
    if (isDamaged(e)) throw new DamagedError(`cannot read ${what}: ${e.message}`, e.file);
    throw e;
  }
}
