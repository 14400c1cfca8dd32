// How a spun task's artifacts differ from the original task's: one comparison, by content hash,
// for the CLI's table, the Runner and the editor's Spin view.
import { isDeepStrictEqual } from 'node:util';
import type { Datastore } from '../datastore';
import { ArtifactInfo, deserializeArtifact } from '../datastore/artifacts';
import type { TaskRecord } from '../datastore/records';

export type ArtifactChangeKind = 'same' | 'changed' | 'new' | 'gone';

export interface ArtifactChange {
  name: string;
  change: ArtifactChangeKind;
  /** The original task's artifact (absent for a new one). */
  before?: ArtifactInfo;
  /** The spun task's artifact (absent for one it no longer has). */
  after?: ArtifactInfo;
}

/**
 * Every artifact of either task, by name, with how it changed. Two values with different hashes
 * may still be equal (one stored before equal values had one hash, objects with their keys in
 * another order): `sameValue` compares such a pair by value.
 */
export function artifactChanges(
  before: Record<string, ArtifactInfo>,
  after: Record<string, ArtifactInfo>,
  sameValue: (before: ArtifactInfo, after: ArtifactInfo) => boolean = () => false,
): ArtifactChange[] {
  const names = [...new Set([...Object.keys(after), ...Object.keys(before)])].sort();
  return names.map((name) => {
    const b = before[name];
    const a = after[name];
    const change: ArtifactChangeKind = !b ? 'new' : !a ? 'gone' : a.hash === b.hash || sameValue(b, a) ? 'same' : 'changed';
    return { name, change, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) };
  });
}

/** Values larger than this are told apart by their hash alone. */
const COMPARED_BYTES = 1024 * 1024;

/** How a spun task's artifacts differ from the original's, values with different hashes compared by value (read from `store`). */
export function taskChanges(store: Datastore, original: TaskRecord, spun: TaskRecord): ArtifactChange[] {
  return artifactChanges(original.artifacts, spun.artifacts, (a, b) => {
    if (a.size > COMPARED_BYTES || b.size > COMPARED_BYTES || a.type !== b.type) return false;
    try {
      return isDeepStrictEqual(
        deserializeArtifact(store.getBlob(spun.flow, a.hash)),
        deserializeArtifact(store.getBlob(spun.flow, b.hash)),
      );
    } catch {
      return false; // a value that cannot be read back is not known to be the same
    }
  });
}
