// `flowspec check FILE... [--json]`: the language server's diagnostics on the command line.
// Prints `file:line:col severity code message` (1-based) or a JSON array; exit 1 on any error.
import { readFileSync } from 'node:fs';
import { UserError } from '../../runtime/errors';
import { Command, defineSpec, parse, usageError } from '../command';
import { loadAnalyzer } from '../loadAnalyzer';

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
  const { analyzeText } = loadAnalyzer();
  const all = files.flatMap((file, i) =>
    analyzeText(file, texts[i]).diagnostics.map((d) => ({
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
  } else {
    for (const d of all) process.stdout.write(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n`);
  }
  return all.some((d) => d.severity === 'error') ? 1 : 0;
}

export const command: Command = { spec, main };
