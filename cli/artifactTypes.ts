// Keeps the generated artifact types (`flowspec types`) of a checked or run flow fresh, in
// projects whose tsconfig includes them. A convenience: a failure is one warning, never a failed command.
import type * as Analyzer from '../analyzer';

export function refreshArtifactTypes(analyzer: typeof Analyzer, files: string[]): void {
  try {
    analyzer.refreshTypes(files, { onlyIncluded: true });
  } catch (e) {
    process.stderr.write(`flowspec: warning: the artifact types of ${files.join(', ')} were not refreshed: ${(e as Error).message}\n`);
  }
}
