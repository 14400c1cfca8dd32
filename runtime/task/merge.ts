// mergeArtifacts: propagate into a join every artifact on which its inputs agree by content.
import type { InputSource } from '../flow/inputs';
import type { MergeOptions } from '../flow/flowspec';

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeArtifactsError';
  }
}

/**
 * Decides which artifacts to merge. `alreadySet(name)` says whether the join set it itself
 * (those are skipped). Returns name → the one hash all inputs that have the name agree on.
 * `canonicalHash(hash)` is the hash the value of a blob has now: inputs whose hashes differ still
 * agree when their values do (one was stored before equal values had one hash: canonical.ts).
 */
export function planMerge(
  step: string,
  sources: InputSource[],
  options: MergeOptions,
  alreadySet: (name: string) => boolean,
  canonicalHash: (hash: string) => string,
): Map<string, string> {
  const { include, exclude } = options;
  if (include && exclude) throw new MergeError(`mergeArtifacts in step '${step}': give include or exclude, not both`);
  const hashes = new Map<string, Map<string, string[]>>(); // name → hash → steps having it
  for (const source of sources) {
    for (const [name, hash] of Object.entries(source.artifacts)) {
      let byHash = hashes.get(name);
      if (!byHash) hashes.set(name, (byHash = new Map()));
      const steps = byHash.get(hash) ?? [];
      steps.push(source.step);
      byHash.set(hash, steps);
    }
  }
  if (include) {
    const missing = include.filter((name) => !hashes.has(name) && !alreadySet(name));
    if (missing.length) {
      throw new MergeError(
        `mergeArtifacts in step '${step}': ${missing.map((n) => `'${n}'`).join(', ')} in include ${missing.length > 1 ? 'are' : 'is'} not an artifact of any input`,
      );
    }
  }
  const excluded = new Set(exclude ?? []);
  const wanted = include ? new Set(include) : undefined;
  const merged = new Map<string, string>();
  const ambiguous: string[] = [];
  for (const [name, byHash] of hashes) {
    if (alreadySet(name) || excluded.has(name) || (wanted && !wanted.has(name))) continue;
    if (byHash.size === 1 || new Set([...byHash.keys()].map(canonicalHash)).size === 1) {
      merged.set(name, byHash.keys().next().value!);
    } else {
      const groups = [...byHash.values()].map((steps) => [...new Set(steps)].join(', '));
      ambiguous.push(`'${name}' (differs between ${groups.join(' and ')})`);
    }
  }
  if (ambiguous.length) {
    throw new MergeError(
      `mergeArtifacts in step '${step}': ambiguous artifact${ambiguous.length > 1 ? 's' : ''} ${ambiguous.join('; ')}. Assign ${ambiguous.length > 1 ? 'them' : 'it'} in the join before merging, or exclude ${ambiguous.length > 1 ? 'them' : 'it'}`,
    );
  }
  return merged;
}
