// `flowspec show FILE [--flow NAME]`: each flow's steps in order with docs and transitions.
import { readFileSync } from 'node:fs';
import { UserError } from '../../runtime/errors';
import { Command, defineSpec, parse, usageError } from '../command';
import { loadAnalyzer } from '../loadAnalyzer';

const spec = defineSpec({
  name: 'show',
  positionals: 'FILE',
  options: { flow: { type: 'string', value: 'NAME', help: 'only this flow of FILE' } },
  summary: 'steps in order with their docs and transitions',
});

/** Reads FILE and returns its flows (only NAME when given); bad input is a UserError. */
export async function loadFlows(file: string, only?: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${code}`);
  }
  const analysis = loadAnalyzer();
  const { flows } = analysis.analyzeText(file, text, { types: false });
  if (flows.length === 0) throw new UserError(`no flow in ${file} (a flow is a class that extends FlowSpec)`);
  if (only !== undefined) {
    const flow = flows.find((f) => f.name === only);
    if (!flow) throw new UserError(`no flow named '${only}' in ${file} (flows: ${flows.map((f) => f.name).join(', ')})`);
    return { analysis, flows: [flow] };
  }
  return { analysis, flows };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parse(spec, argv);
  if (parsed.positionals.length !== 1) throw usageError(spec);
  const { analysis, flows } = await loadFlows(parsed.positionals[0], parsed.values.flow as string | undefined);
  const many = flows.length > 1;
  const parts = flows.map((f) => (many ? `Flow ${f.name}\n\n` : '') + analysis.renderShow(f));
  process.stdout.write(parts.join('\n'));
  return 0;
}

export const command: Command = { spec, main };
