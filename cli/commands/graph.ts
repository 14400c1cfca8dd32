// `flowspec graph FILE [--format json|dot|mermaid] [--flow NAME]`: the graph of each flow.
import { UserError } from '../../runtime/errors';
import { Command, defineSpec, parse, usageError } from '../command';
import { loadFlows } from './show';

const spec = defineSpec({
  name: 'graph',
  positionals: 'FILE',
  options: {
    format: { type: 'string', value: 'json|dot|mermaid', help: 'the output format (default json)' },
    flow: { type: 'string', value: 'NAME', help: 'only this flow of FILE' },
  },
  summary: 'the graph of each flow',
});

async function main(argv: string[]): Promise<number> {
  const parsed = parse(spec, argv);
  const format = (parsed.values.format as string | undefined) ?? 'json';
  if (!['json', 'dot', 'mermaid'].includes(format)) throw new UserError(`unknown format '${format}' (json, dot or mermaid)`);
  if (parsed.positionals.length !== 1) throw usageError(spec);
  const { analysis, flows } = await loadFlows(parsed.positionals[0], parsed.values.flow as string | undefined);
  if (format === 'json') {
    const out = flows.map((f) => analysis.graphJson(f));
    process.stdout.write(JSON.stringify({ flows: out }, null, 2) + '\n');
  } else {
    const render = format === 'dot' ? analysis.renderDot : analysis.renderMermaid;
    process.stdout.write(flows.map((f) => render(f)).join('\n'));
  }
  return 0;
}

export const command: Command = { spec, main };
