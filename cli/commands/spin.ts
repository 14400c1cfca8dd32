// `flowspec spin FILE STEP`: the command line of runtime/spin/spin.ts.
// Runs only STEP, from the file as it is now, with the inputs a task of STEP had in an earlier run
// (runtime/spin/spin.ts); prints the task's log, then its artifacts beside the original task's.
import { openDatastore } from '../../runtime/datastore';
import { checkIdentifier } from '../../runtime/datastore/names';
import { UserError } from '../../runtime/errors';
import { ArtifactChange } from '../../runtime/spin/changes';
import { spinTask } from '../../runtime/spin/spin';
import type { TaskExecutor } from '../../runtime/scheduler/executor';
import { Command, defineSpec, parse, usageError } from '../command';
import { runIdFile } from '../runIdFile';
import { formatTable } from '../table';
import { printable } from '../terminal';

const spec = defineSpec({
  name: 'spin',
  positionals: 'FILE STEP',
  options: {
    'run-id': { type: 'string', value: 'ID', help: 'the run whose task is spun (default: the latest run in which STEP ran)' },
    task: { type: 'string', value: 'ID', help: 'the task of STEP to spin' },
    index: { type: 'string', value: 'I', help: 'the foreach item to spin (1,0 in a nested foreach, outermost first)' },
    artifacts: { type: 'string', value: 'FILE', help: 'input values to use instead: a JSON object, or a module exporting ARTIFACTS' },
    'no-persist': { type: 'boolean', help: 'store nothing (the task runs against a temporary folder)' },
    'skip-decorators': { type: 'boolean', help: 'run the bare step, without @timeout, @retry, @catchError, @card, @environment, @secrets' },
    flow: { type: 'string', value: 'NAME', help: 'the flow of FILE, when it holds several' },
    'run-id-file': { type: 'string', value: 'F', help: "write the spin's id (spin-N) to F" },
  },
  summary: 'runs only STEP, from the file as it is now, with the inputs a task of STEP had in an earlier run',
  details:
    "default: the latest run in which STEP ran; prints the step's log, then its artifacts beside the original task's. Spins are stored apart from runs (see [Trying one step: spin](#trying-one-step-spin))",
});

export const command: Command = { spec, main: (argv) => spin(argv) };

/** `flowspec spin` with its arguments; `worker`: its task worker, started ahead (the editor's standby spin, spin-standby.ts). */
export async function spin(argv: string[], worker?: TaskExecutor): Promise<number> {
  const { values, positionals } = parse(spec, argv);
  const [file, step] = positionals;
  if (!file || !step) throw usageError(spec);
  if (positionals.length > 2) throw usageError(spec, `unexpected argument '${printable(positionals[2])}'`);
  checkIdentifier('step name', step);
  for (const [option, kind] of [
    ['flow', 'flow name'],
    ['run-id', 'run id'],
    ['task', 'task id'],
  ] as const) {
    if (values[option] !== undefined) checkIdentifier(kind, values[option] as string);
  }
  if (values.task !== undefined && values.index !== undefined)
    throw new UserError('--task and --index both pick the task: give one of them');
  const index = values.index === undefined ? undefined : parseIndex(values.index as string);
  const persist = values['no-persist'] !== true;
  const idFile = runIdFile(values['run-id-file'] as string | undefined);
  process.setSourceMapsEnabled(true);
  // Taken before the task captures stdout/stderr, so its lines reach the real streams.
  const out = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  const outcome = await spinTask(openDatastore(), {
    file,
    step,
    flow: values.flow as string | undefined,
    runId: values['run-id'] as string | undefined,
    taskId: values.task as string | undefined,
    index,
    artifacts: values.artifacts as string | undefined,
    persist,
    skipDecorators: values['skip-decorators'] === true,
    cliPath: process.argv[1],
    line: (stream, line) => out[stream](`${line}\n`),
    note: (line) => out.stderr(`${line}\n`),
    worker,
  });
  const { flow, spinId, original, spun } = outcome;
  const originPath = `${flow}/${original.runId}/${original.step}/${original.taskId}`;
  const spunPath = `${flow}/${spinId}/${spun.step}/${spun.taskId}`;
  if (persist) idFile.write(spinId);
  if (spun.status !== 'success') {
    out.stderr(`Spin of ${originPath} failed: ${spun.exception?.type}: ${spun.exception?.message}\n`);
  } else {
    out.stdout(`Artifacts of ${persist ? spunPath : `the spin of ${originPath}`}, beside ${originPath}:\n`);
    out.stdout(changesTable(outcome.changes));
  }
  out.stdout(
    persist
      ? `Spin stored as ${spunPath}, apart from runs (client API: new Flow('${flow}').latestSpin('${spun.step}')).\n`
      : 'Nothing was stored (--no-persist).\n',
  );
  return spun.status === 'success' ? 0 : 1;
}

/** `--index 2` (the item of the innermost foreach) or `--index 1,0` (every foreach, outermost first). */
function parseIndex(value: string): number[] {
  if (!/^\d+(,\d+)*$/.test(value))
    throw new UserError(`--index needs a foreach position (2, or 1,0 for nested foreaches, outermost first), not '${printable(value)}'`);
  return value.split(',').map(Number);
}

function changesTable(changes: ArtifactChange[]): string {
  if (!changes.length) return '  (no artifacts)\n';
  const rows = changes.map((c) => [
    '',
    c.change,
    printable(c.name),
    printable(c.after?.preview ?? ''),
    c.change === 'changed' || c.change === 'gone' ? `(was ${printable(c.before!.preview)})` : '',
  ]);
  return formatTable(rows);
}
