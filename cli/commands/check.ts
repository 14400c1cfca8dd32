// `flowspec check FILE... [--json]`: the language server's diagnostics on the command line.
// Prints `file:line:col severity code message` (1-based) or a JSON array; exit 1 on any error.
import { readFileSync } from 'node:fs';
import { UserError } from '../../runtime/errors';
import { parseWithUsage } from '../args';
import { loadAnalyzer } from '../loadAnalyzer';

const USAGE = 'usage: flowspec check FILE... [--json]';

export async function main(argv: string[]): Promise<number> {
  const parsed = parseWithUsage(argv, { json: { type: 'boolean' } }, USAGE);
  const files = parsed.positionals;
  if (files.length === 0) throw new UserError(USAGE);
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
