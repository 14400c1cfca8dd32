// How a spun task's artifacts differ from the original task's: one comparison, by content hash,
// for the CLI's table, the Runner and the editor's Spin view.
import type { ArtifactInfo } from '../datastore/artifacts';

export type ArtifactChangeKind = 'same' | 'changed' | 'new' | 'gone';

export interface ArtifactChange {
  name: string;
  change: ArtifactChangeKind;
  /** The original task's artifact (absent for a new one). */
  before?: ArtifactInfo;
  /** The spun task's artifact (absent for one it no longer has). */
  after?: ArtifactInfo;
}

/** Every artifact of either task, by name, with how it changed. */
export function artifactChanges(before: Record<string, ArtifactInfo>, after: Record<string, ArtifactInfo>): ArtifactChange[] {
  const names = [...new Set([...Object.keys(after), ...Object.keys(before)])].sort();
  return names.map((name) => {
    const b = before[name];
    const a = after[name];
    const change: ArtifactChangeKind = !b ? 'new' : !a ? 'gone' : a.hash === b.hash ? 'same' : 'changed';
    return { name, change, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) };
  });
}
