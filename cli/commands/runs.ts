// `flowspec runs [FLOW] [--json]`: past runs, newest first.
import { Flow, Run } from '../../runtime/client';
import { UserError } from '../../runtime/errors';
import { parseCommandLine } from '../args';

function duration(run: Run): string {
  const end = run.finishedAt;
  if (!end) return '';
  const s = (end.getTime() - run.createdAt.getTime()) / 1000;
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean' } });
  const [name] = positionals;
  const flows = name ? [new Flow(name)] : Flow.list();
  if (name && flows[0].runs().length === 0) throw new UserError(`no runs of ${name}`);
  const rows = flows.flatMap((flow) => flow.runs().map((run) => ({
    flow: flow.name,
    run: run.id,
    status: run.status,
    createdAt: run.createdAt.toISOString(),
    duration: duration(run),
    tags: run.userTags,
    parameters: run.parameters,
  })));
  if (values.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  if (!rows.length) {
    process.stdout.write('No runs yet.\n');
    return 0;
  }
  const table = [['FLOW', 'RUN', 'STATUS', 'CREATED', 'DURATION', 'TAGS', 'PARAMETERS'],
    ...rows.map((r) => [r.flow, r.run, r.status, r.createdAt.replace('T', ' ').slice(0, 19), r.duration, r.tags.join(','),
      Object.entries(r.parameters).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')])];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) process.stdout.write(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd() + '\n');
  return 0;
}
