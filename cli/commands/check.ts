// `flowspec check FILE... [--json]`: the language server's diagnostics on the command line.
// Prints `file:line:col severity code message` (1-based) or a JSON array; exit 1 on any error. A
// clean check says so in one line.
import { readFileSync } from 'node:fs';
import { UserError } from '../../runtime/errors';
import { Command, defineSpec, parse, usageError } from '../command';
import { loadAnalyzer } from '../loadAnalyzer';
import { refreshArtifactTypes } from '../artifactTypes';

const spec = defineSpec({
  name: 'check',
  positionals: 'FILE...',
  options: { json: { type: 'boolean', help: 'the diagnostics as a JSON array' } },
  summary: "the editor's diagnostics; exit 1 on errors",
});

async function main(argv: string[]): Promise<number> {
  const parsed = parse(spec, argv);
  const files = parsed.positionals;
  if (files.length === 0) throw usageError(spec);
  const texts = files.map((file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(
        code === 'ENOENT' ? `no such file: ${file}` : code === 'EISDIR' ? `not a file: ${file}` : `cannot read ${file}: ${code}`,
      );
    }
  });
  const analyzer = loadAnalyzer();
  const analyses = files.map((file, i) => analyzer.analyzeText(file, texts[i]));
  const all = files.flatMap((file, i) =>
    analyses[i].diagnostics.map((d) => ({
      file,
      code: d.code,
      severity: d.severity,
      message: d.message,
      range: d.range,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      ...(d.flow ? { flow: d.flow } : {}),
      ...(d.step ? { step: d.step } : {}),
    })),
  );
  if (parsed.values.json) {
    process.stdout.write(JSON.stringify(all, null, 2) + '\n');
  } else if (all.length) {
    for (const d of all) process.stdout.write(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n`);
  } else {
    process.stdout.write(
      `${cleanLine(
        files,
        analyses.flatMap((a) => a.flows.map((f) => f.name)),
      )}\n`,
    );
  }
  refreshArtifactTypes(analyzer, files);
  return all.some((d) => d.severity === 'error') ? 1 : 0;
}

/** What a clean check prints: one line naming what was checked, so silence is never the answer. */
function cleanLine(files: string[], flows: string[]): string {
  const what = files.length === 1 ? files[0] : `${files.length} files`;
  if (!flows.length) return `${what}: no problems, and no flow (a flow is a class that extends FlowSpec)`;
  return `${what}: no problems (${flows.length === 1 ? 'flow' : `${flows.length} flows:`} ${flows.join(', ')})`;
}

export const command: Command = { spec, main };
