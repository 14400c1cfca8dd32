// `flowspec run FILE [--flow NAME] [--max-workers N] [--tag T]... [--PARAM VALUE]...`
import { openDatastore } from '../../runtime/datastore';
import { UserError } from '../../runtime/errors';
import { describeParameters } from '../../runtime/flowcode/parameterValues';
import { capWorkers, createPool, createRun, executeRun, loadFlow } from '../../runtime/scheduler/runFlow';
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
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseMaxWorkers(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || !/^\d+$/.test(String(value))) throw new UserError(`--max-workers needs a whole number of at least 1, not '${value}'`);
  return capWorkers(n, (line) => process.stderr.write(line + '\n'));
}

export async function main(argv: string[]): Promise<number> {
  // `--inspect` alone (no port) is allowed: normalise it before parsing.
  const normalized = argv.map((a) => (a === '--inspect' ? '--inspect=9229' : a));
  const { values, positionals, extras } = parseCommandLine(normalized, RUN_OPTIONS, true);
  const [file] = positionals;
  if (!file) throw new UserError('usage: flowspec run FILE [--flow NAME] [--max-workers N] [--tag T]... [--PARAM VALUE]...');
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
  const pool = createPool(datastore, options);
  pool.warm();
  try {
    const until = values.until as string | undefined;
    if (until !== undefined && !flow.info.steps.has(until)) throw new UserError(`--until '${until}' is not a step of ${flow.info.name}`);
    const graph = await validateFlow(flow);
    const { runInputs } = await import('../../runtime/params/runInputs');
    const inputs = await runInputs(flow.info, extras, values.params as string | undefined, datastore);
    const run = createRun(datastore, flow, { graph, tags: (values.tag as string[]) ?? [], ...inputs });
    idFile.write(run.runId);
    process.stdout.write(`${workflowStartingLine(run.runId)}\n`);
    if (options.inspect) {
      const where = options.inspect === '0' ? 'a free port (see "Debugger listening on" below)' : `port ${options.inspect}`;
      process.stdout.write(`Tasks run one at a time under the Node inspector on ${where}: attach a debugger to stop at breakpoints in steps.\n`);
    }
    const outcome = await executeRun(datastore, flow, run, pool, options, { until });
    return outcome.success ? 0 : 1;
  } finally {
    pool.close();
  }
}
