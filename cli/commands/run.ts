// `flowspec run FILE [--flow NAME] [--max-workers N] [--tag T]... [--with slurm] [--PARAM VALUE]...`
import { openDatastore } from '../../runtime/datastore';
import { UserError } from '../../runtime/errors';
import { describeParameters } from '../../runtime/flowcode/parameterValues';
import { capWorkers, createPool, executeRun, ExecuteOptions } from '../../runtime/scheduler/runFlow';
import { createRun } from '../../runtime/scheduler/createRun';
import { LoadedFlow, loadFlow } from '../../runtime/flowcode/loadFlow';
import type { TaskExecutor } from '../../runtime/scheduler/executor';
import type { Datastore } from '../../runtime/datastore';
import { validateFlow } from '../validate';
import { workflowStartingLine } from '../../model/runLog';
import { parseCommandLine } from '../args';
import { runIdFile } from '../runIdFile';
import { checkIdentifier } from '../../runtime/datastore/names';

export const RUN_OPTIONS = {
  flow: { type: 'string' },
  'max-workers': { type: 'string' },
  tag: { type: 'string', multiple: true },
  params: { type: 'string' },
  'run-id-file': { type: 'string' },
  inspect: { type: 'string' },
  until: { type: 'string' },
  with: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseMaxWorkers(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || !/^\d+$/.test(String(value)))
    throw new UserError(`--max-workers needs a whole number of at least 1, not '${value}'`);
  return capWorkers(n, (line) => process.stderr.write(line + '\n'));
}

/**
 * Where the tasks run: the local worker pool, warmed at once so its start-up overlaps the checks,
 * or `--with slurm` (checked against the cluster before any run is created). `ready` resolves to
 * the executor once the checks passed.
 */
export function startExecutor(
  datastore: Datastore,
  flow: LoadedFlow,
  withValue: unknown,
  options: ExecuteOptions,
): { ready: Promise<TaskExecutor>; close(): void } {
  if (!withValue) {
    const pool = createPool(datastore, options);
    pool.warm();
    return { ready: Promise.resolve(pool), close: () => pool.close() };
  }
  if (options.inspect) throw new UserError('--inspect runs tasks in a local worker: it cannot be combined with --with');
  let executor: TaskExecutor | undefined;
  const ready = import('../../runtime/slurm').then(async (slurm) => {
    slurm.parseWith(withValue);
    executor = await slurm.slurmExecutor(datastore, flow, options);
    return executor;
  });
  return { ready, close: () => executor?.close() };
}

export async function main(argv: string[]): Promise<number> {
  // `--inspect` alone (no port) is allowed: normalise it before parsing.
  const normalized = argv.map((a) => (a === '--inspect' ? '--inspect=9229' : a));
  const { values, positionals, extras } = parseCommandLine(normalized, RUN_OPTIONS, true);
  const [file] = positionals;
  if (!file) throw new UserError('usage: flowspec run FILE [--flow NAME] [--max-workers N] [--tag T]... [--with slurm] [--PARAM VALUE]...');
  if (positionals.length > 1) throw new UserError(`unexpected argument '${positionals[1]}' (parameters are given as --NAME VALUE)`);
  const maxWorkers = parseMaxWorkers(values['max-workers']);
  const idFile = runIdFile(values['run-id-file'] as string | undefined);
  if (values.flow !== undefined) checkIdentifier('flow name', values.flow as string);
  const datastore = openDatastore();
  const options = { maxWorkers, inspect: values.inspect as string | undefined, cliPath: process.argv[1] };
  const flow = await loadFlow(file, values.flow as string | undefined, datastore);
  if (values.help) {
    process.stdout.write(describeParameters(flow.info));
    return 0;
  }
  const executor = startExecutor(datastore, flow, values.with, options);
  try {
    const until = values.until as string | undefined;
    if (until !== undefined && !flow.info.steps.has(until)) throw new UserError(`--until '${until}' is not a step of ${flow.info.name}`);
    const [graph, ready] = await Promise.all([validateFlow(flow), executor.ready]);
    const { runInputs } = await import('../../runtime/params/runInputs');
    const inputs = await runInputs(flow.info, extras, values.params as string | undefined, datastore);
    const run = createRun(datastore, flow, { graph, tags: (values.tag as string[]) ?? [], ...inputs });
    idFile.write(run.runId);
    process.stdout.write(`${workflowStartingLine(run.runId)}\n`);
    if (options.inspect) {
      const where = options.inspect === '0' ? 'a free port (see "Debugger listening on" below)' : `port ${options.inspect}`;
      process.stdout.write(
        `Tasks run one at a time under the Node inspector on ${where}: attach a debugger to stop at breakpoints in steps.\n`,
      );
    }
    const outcome = await executeRun(datastore, flow, run, ready, { until });
    return outcome.success ? 0 : 1;
  } finally {
    executor.close();
  }
}
