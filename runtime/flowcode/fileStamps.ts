// What a cached bundle was built from: each file's size and modification time then (null: it was
// not there), so the bundle is reused only while every one of them is as it was. Used by the deps
// bundle (deps.ts) and by the code package of a flow file whose text and imports did not change (bundle.ts).
import { statSync } from 'node:fs';

export type FileStamps = Record<string, [number, number] | null>;

export function fileStamp(path: string): [number, number] | null {
  try {
    const s = statSync(path);
    return [s.size, s.mtimeMs];
  } catch {
    return null;
  }
}

export function stampsOf(paths: Iterable<string>): FileStamps {
  const stamps: FileStamps = {};
  for (const path of paths) stamps[path] = fileStamp(path);
  return stamps;
}

/** Whether every file is as its stamp says (anything malformed: no). */
export function unchanged(stamps: FileStamps): boolean {
  if (typeof stamps !== 'object' || stamps === null) return false;
  for (const [path, was] of Object.entries(stamps)) {
    const now = fileStamp(path);
    if (now === null || was === null ? now !== was : !Array.isArray(was) || now[0] !== was[0] || now[1] !== was[1]) return false;
  }
  return true;
}
