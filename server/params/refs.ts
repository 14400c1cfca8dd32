// Refs of params files resolved against the datastore with runtime/params/refs.ts, which the CLI
// uses too. Lookups are cached for a few seconds, so typing in a params file does not read the
// run records on every keystroke; a run that finishes meanwhile shows up once the entry expires.
import { dirname } from 'node:path';
import { datastoreRoot, type Datastore } from '../../runtime/datastore';
import { datastoreRootOrLocal } from '../../runtime/datastore/root';
import { parseRunRef } from '../../model/runRef';
import { locateRef, RefError } from '../../runtime/params/refs';
import type { RefLookup, RefOutcome } from './check';

export interface RefResolverOptions {
  /** How long a lookup is trusted. */
  ttlMs?: number;
  now?: () => number;
}

export class RefResolver {
  private readonly cache = new Map<string, { at: number; outcome: RefOutcome }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  /** `open`: the datastore at a root (undefined for a root the editor does not read, e.g. s3://). */
  constructor(
    private readonly open: (root: string) => Datastore | undefined,
    options: RefResolverOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 3000;
    this.now = options.now ?? Date.now;
  }

  /** Lookups in the datastore at `root`; undefined when that datastore is not read. */
  lookup(root: string): RefLookup | undefined {
    const store = this.open(root);
    if (!store) return undefined;
    return (ref, valuePath, currentFlow) => {
      if (!currentFlow && parseRunRef(ref)?.flow === undefined) return undefined;
      const key = [root, ref, valuePath, currentFlow ?? ''].join('\0');
      const now = this.now();
      const hit = this.cache.get(key);
      if (hit && now - hit.at < this.ttlMs) return hit.outcome;
      const outcome = resolveOnce(store, ref, valuePath, currentFlow ?? '');
      if (this.cache.size > 1000) this.cache.clear();
      this.cache.set(key, { at: now, outcome });
      return outcome;
    };
  }

  /** Forgets every lookup (the datastore changed). */
  clear(): void {
    this.cache.clear();
  }
}

function resolveOnce(store: Datastore, ref: string, valuePath: string, currentFlow: string): RefOutcome {
  try {
    const { task, artifact, info } = locateRef(ref, valuePath, currentFlow, store);
    return { ok: true, task: task.pathspec, artifact, type: info.type, preview: info.preview, size: info.size };
  } catch (e) {
    if (e instanceof RefError) {
      // Errors about the run are the ref's; errors about its steps and artifacts the value's.
      const onRef = new RegExp(`^${ref.replace(/[.$]/g, '\\$&')}: `).test(e.message);
      return { ok: false, message: e.message, on: onRef ? 'ref' : 'value' };
    }
    return { ok: false, message: `cannot read the datastore: ${(e as Error).message}`, on: 'store' };
  }
}

/**
 * Where the runs are for a params file: the runtime's datastore root seen from the file's folder
 * (what `flowspec run` started anywhere in that project uses); a broken flowspec.config.json
 * counts as none.
 */
export function datastoreRootFor(path: string, rootOf: (from: string) => string = datastoreRoot): string {
  return datastoreRootOrLocal(dirname(path), rootOf);
}
