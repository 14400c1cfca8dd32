// `flowspec runs [FLOW] [--tag T]... [--json] [--namespace NS | --all]`: past runs of the namespace
// (default user:NAME, as Metaflow's client), newest first; with --tag, those with every tag. A damaged run is listed as such
// (`damaged: run.json unreadable (...)`) and the others as usual. An IncludeFile parameter is shown
// by its preview and the file it read, not its whole content. The runs are read a page at a time
// (Flow.eachRun), each page's tags and parameter values in a few batches: on S3, 1,000 runs in seconds;
// on a terminal, stderr counts the runs read when the listing takes more than a second.
import { ANY_NAMESPACE, Flow, getNamespace, IncludedFileSummary, includedFileText, NotFoundError, Run } from '../../runtime/client';
import { checkIdentifier } from '../../runtime/datastore/names';
import { isDamaged, UserError } from '../../runtime/errors';
import { Command, defineSpec, parse, usageError } from '../command';
import { formatTable } from '../table';
import { printable } from '../terminal';

const spec = defineSpec({
  name: 'runs',
  positionals: '[FLOW]',
  options: {
    tag: {
      type: 'string',
      value: 'T',
      multiple: true,
      help: 'only runs that have tag T (user or system); repeated, runs with all of them',
    },
    json: { type: 'boolean', help: 'the runs as a JSON array' },
    namespace: { type: 'string', value: 'NS', help: 'runs tagged NS (default user:NAME, yours; project:P, project_branch:B...)' },
    all: { type: 'boolean', help: 'runs of every namespace' },
  },
  summary: 'past runs, newest first',
  details: 'an IncludeFile parameter is shown by a preview and the file it read (`--json`: `{ file, size, preview }`), not its content',
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

/** The run's parameters for --json, and as the table shows them (`name=value`, a file by its preview). */
function parametersOf(run: Run): { values: Record<string, unknown>; text: string } {
  const values = run.parameterSummaries;
  const text = Object.entries(values)
    .map(([name, v]) => `${name}=${run.record.parameters[name].file ? includedFileText(v as IncludedFileSummary) : JSON.stringify(v)}`)
    .join(' ');
  return { values, text };
}

/** A run as `--json` gives it, and its parameters as the table shows them. */
function rowOf(flow: string, run: Run): { row: Row; parameters: string } {
  const damaged = (damage: string) => ({ row: { flow, run: run.id, status: 'damaged', damage }, parameters: '' });
  if (run.damage) return damaged(run.damage);
  try {
    const parameters = parametersOf(run);
    const row = {
      flow,
      run: run.id,
      status: run.status,
      createdAt: run.createdAt.toISOString(),
      duration: duration(run),
      tags: run.userTags,
      parameters: parameters.values,
    };
    return { row, parameters: parameters.text };
  } catch (e) {
    if (isDamaged(e)) return damaged(e.message);
    throw e;
  }
}

/** How often the counter is redrawn, and how long a listing runs before it shows (ms). */
const PROGRESS_MS = 1000;

/** `reading runs… 340` on stderr, redrawn in place, once the work has taken PROGRESS_MS; nothing when stderr is not a terminal. */
function progressCounter(what: string): { count(): void; done(): void } {
  const started = Date.now();
  let [n, shownAt, shown] = [0, started, false];
  return {
    count() {
      n++;
      const now = Date.now();
      if (!process.stderr.isTTY || now - shownAt < PROGRESS_MS) return;
      [shownAt, shown] = [now, true];
      process.stderr.write(`\r${what}… ${n}`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv);
  const [name] = positionals;
  if (positionals.length > 1) throw usageError(spec, `unexpected argument '${printable(positionals[1])}'`);
  if (name !== undefined) checkIdentifier('flow name', name);
  if (values.all && values.namespace !== undefined) throw usageError(spec, '--all and --namespace exclude each other');
  const ns = values.all ? null : (values.namespace ?? getNamespace());
  const tags = values.tag;
  const tagged = tags ? ` tagged ${tags.map((t) => printable(t)).join(', ')}` : '';
  // Every run, then those of the namespace: the rest are counted, so the listing can say they exist.
  let flows: Flow[];
  try {
    flows = name ? [new Flow(name, ANY_NAMESPACE)] : Flow.list(ANY_NAMESPACE);
  } catch (e) {
    if (e instanceof NotFoundError) throw new UserError(`no runs of ${name}${tagged}`);
    throw e;
  }
  const rows: Array<ReturnType<typeof rowOf>> = [];
  let hidden = 0;
  const progress = progressCounter('reading runs');
  try {
    for (const flow of flows)
      for (const run of flow.eachRun({ tags })) {
        if (run.isInNamespace(ns)) rows.push(rowOf(flow.name, run));
        else hidden++;
        progress.count();
      }
  } finally {
    // Cleared before an error's line too, which would otherwise follow the counter on its line.
    progress.done();
  }
  const elsewhere = hidden ? ` (${hidden} run${hidden === 1 ? '' : 's'} of other namespaces: flowspec runs --all)` : '';
  if (name && rows.length === 0) throw new UserError(`no runs of ${name}${tagged}${hidden ? ` in namespace ${ns}${elsewhere}` : ''}`);
  if (values.json) {
    process.stdout.write(
      JSON.stringify(
        rows.map((r) => r.row),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  if (!rows.length) {
    process.stdout.write(`No runs${tagged}${hidden ? ` in namespace ${ns}${elsewhere}` : tags ? '' : ' yet'}.\n`);
    return 0;
  }
  const table = [
    ['FLOW', 'RUN', 'STATUS', 'CREATED', 'DURATION', 'TAGS', 'PARAMETERS'],
    ...rows.map(({ row: r, parameters }) =>
      r.damage
        ? [r.flow, r.run, `damaged: ${r.damage}`, '', '', '', '']
        : [r.flow, r.run, r.status, r.createdAt!.replace('T', ' ').slice(0, 19), r.duration!, r.tags!.join(','), parameters],
    ),
  ].map((row) => row.map((cell) => printable(cell)));
  process.stdout.write(formatTable(table, (row, i) => i === 2 && row[2].startsWith('damaged:')));
  process.stdout.write(ns ? `Namespace ${printable(ns)}${elsewhere}.\n` : 'Every namespace.\n');
  return 0;
}

export const command: Command = { spec, main };
