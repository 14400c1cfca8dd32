// Keeps the generated artifact types (`flowspec types`) of a checked or run flow fresh, in
// projects whose tsconfig includes them. A convenience: a failure is one warning, never a failed command.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type * as Analyzer from '../analyzer';
import type { WrittenTypes } from '../runtime/checkCache';

const hashOf = (text: string | undefined) => (text === undefined ? '' : createHash('sha256').update(text).digest('hex'));

/** Regenerates the files' declarations; returns what they now hold, for `typesStillWritten`. */
export function refreshArtifactTypes(analyzer: typeof Analyzer, files: string[]): WrittenTypes[] {
  try {
    return analyzer
      .refreshTypes(files, { onlyIncluded: true })
      .flatMap((r) => r.results.map((g) => ({ out: g.out, hash: hashOf(g.text) })));
  } catch (e) {
    process.stderr.write(`flowspec: warning: the artifact types of ${files.join(', ')} were not refreshed: ${(e as Error).message}\n`);
    return [];
  }
}

/**
 * The background refresh of a run's flow file (`__refresh-types`): the declarations of `text`,
 * written only if the file still holds it once they are ready (that takes a second or so; an edit
 * since, whose own refresh may be done, must not be overwritten with the older text's types).
 * Undefined when the file changed meanwhile.
 */
export function refreshArtifactTypesOf(analyzer: typeof Analyzer, file: string, text: string): WrittenTypes[] | undefined {
  try {
    const project = analyzer.typesProject(file);
    if (!project.includesTypes) return [];
    const results = analyzer.generateTypes(project, [file], new Map([[file, text]]));
    if (readFileSync(file, 'utf8') !== text) return undefined;
    analyzer.writeTypes(results);
    return results.map((g) => ({ out: g.out, hash: hashOf(g.text) }));
  } catch {
    // Nobody to tell: `flowspec types` and `flowspec check` say what went wrong.
    return [];
  }
}

/**
 * Whether the declarations written for a cached verdict are still on disk as written. A check of
 * another text of the same file since (an edit, then its undo) rewrote them: they must be regenerated.
 */
export function typesStillWritten(written: WrittenTypes[]): boolean {
  return written.every((w) => {
    let text: string | undefined;
    try {
      text = readFileSync(w.out, 'utf8');
    } catch {
      text = undefined;
    }
    return hashOf(text) === w.hash;
  });
}
