// `flowspec runs [FLOW] [--json]`: past runs, newest first. A damaged run is listed as such
// (`damaged: run.json unreadable (...)`) and the others as usual.
import { Flow, Run } from '../../runtime/client';
import { checkIdentifier } from '../../runtime/datastore/names';
import { isDamaged, UserError } from '../../runtime/errors';
import { Command, defineSpec, parse, usageError } from '../command';
import { formatTable } from '../table';
import { printable } from '../terminal';

const spec = defineSpec({
  name: 'runs',
  positionals: '[FLOW]',
  options: { json: { type: 'boolean', help: 'the runs as a JSON array' } },
  summary: 'past runs, newest first',
});

function duration(run: Run): string {
  const end = run.finishedAt;
  if (!end) return '';
  const s = (end.getTime() - run.createdAt.getTime()) / 1000;
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

interface Row {
  flow: string;
  run: string;
  status: string;
  createdAt?: string;
  duration?: string;
  tags?: string[];
  parameters?: Record<string, unknown>;
  damage?: string;
}

function rowOf(flow: string, run: Run): Row {
  const damaged = (damage: string): Row => ({ flow, run: run.id, status: 'damaged', damage });
  if (run.damage) return damaged(run.damage);
  try {
    return {
      flow,
      run: run.id,
      status: run.status,
      createdAt: run.createdAt.toISOString(),
      duration: duration(run),
      tags: run.userTags,
      parameters: run.parameters,
    };
  } catch (e) {
    if (isDamaged(e)) return damaged(e.message);
    throw e;
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv);
  const [name] = positionals;
  if (positionals.length > 1) throw usageError(spec, `unexpected argument '${printable(positionals[1])}'`);
  if (name !== undefined) checkIdentifier('flow name', name);
  const flows = name ? [new Flow(name)] : Flow.list();
  const rows = flows.flatMap((flow) => flow.runs().map((run) => rowOf(flow.name, run)));
  if (name && rows.length === 0) throw new UserError(`no runs of ${name}`);
  if (values.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  if (!rows.length) {
    process.stdout.write('No runs yet.\n');
    return 0;
  }
  const table = [
    ['FLOW', 'RUN', 'STATUS', 'CREATED', 'DURATION', 'TAGS', 'PARAMETERS'],
    ...rows.map((r) =>
      r.damage
        ? [r.flow, r.run, `damaged: ${r.damage}`, '', '', '', '']
        : [
            r.flow,
            r.run,
            r.status,
            r.createdAt!.replace('T', ' ').slice(0, 19),
            r.duration!,
            r.tags!.join(','),
            Object.entries(r.parameters!)
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(' '),
          ],
    ),
  ].map((row) => row.map((cell) => printable(cell)));
  process.stdout.write(formatTable(table, (row, i) => i === 2 && row[2].startsWith('damaged:')));
  return 0;
}

export const command: Command = { spec, main };
