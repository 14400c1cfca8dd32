// `flowspec graph FILE [--format json|dot|mermaid] [--flow NAME]`: the graph of each flow.
import { UserError } from '../../runtime/errors';
import { parseWithUsage } from '../args';
import { loadFlows } from './show';

const USAGE = 'usage: flowspec graph FILE [--format json|dot|mermaid] [--flow NAME]';

export async function main(argv: string[]): Promise<number> {
  const parsed = parseWithUsage(argv, { format: { type: 'string' }, flow: { type: 'string' } }, USAGE);
  const format = (parsed.values.format as string | undefined) ?? 'json';
  if (!['json', 'dot', 'mermaid'].includes(format)) throw new UserError(`unknown format '${format}' (json, dot or mermaid)`);
  if (parsed.positionals.length !== 1) throw new UserError(USAGE);
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
