// Keeps the generated artifact types (`flowspec types`) of a checked or run flow fresh, in
// projects whose tsconfig includes them. A convenience: a failure is one warning, never a failed command.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type * as Analyzer from '../analyzer';
import type { WrittenTypes } from '../runtime/checkCache';
import { inputsFresh, typesRootOf } from '../model/artifactTypesFiles';

const hashOf = (text: string | undefined) => (text === undefined ? '' : createHash('sha256').update(text).digest('hex'));

/**
 * Regenerates the files' declarations; returns what they now hold, for `typesStillWritten`. With
 * `texts` (the background refresh of a run's flow file, `__refresh-types`), of those texts, written
 * only if the files still hold them once they are ready (that takes a second or so): undefined
 * when one changed meanwhile, and nothing is written for it.
 */
export function refreshArtifactTypes(analyzer: typeof Analyzer, files: string[], texts?: Map<string, string>): WrittenTypes[] | undefined {
  try {
    const refreshed = analyzer.refreshTypes(files, { onlyIncluded: true, texts, unlessEdited: true });
    if (refreshed.some((r) => r.edited.length)) return undefined;
    return refreshed.flatMap((r) => r.results.map((g) => ({ out: g.out, hash: hashOf(g.text) })));
  } catch (e) {
    process.stderr.write(`flowspec: warning: the artifact types of ${files.join(', ')} were not refreshed: ${(e as Error).message}\n`);
    return [];
  }
}

/**
 * Whether the declarations written for a cached verdict are still on disk as written, and made from
 * the config files as they are now. A check of another text of the same file since (an edit, then
 * its undo) rewrote them, or a config's default file changed: they must be regenerated.
 */
export function typesStillWritten(written: WrittenTypes[]): boolean {
  return written.every((w) => {
    let text: string | undefined;
    try {
      text = readFileSync(w.out, 'utf8');
    } catch {
      text = undefined;
    }
    return hashOf(text) === w.hash && (text === undefined || inputsFresh(text, typesRootOf(w.out)));
  });
}
