// `flowspec run FILE`: runs a flow on this machine (or with --with slurm, its tasks as Slurm jobs).
import { openDatastore } from '../../runtime/datastore';
import { UserError } from '../../runtime/errors';
import { describeParameters } from '../../runtime/flowcode/parameterValues';
import { capWorkers, createPool, executeRun, ExecuteOptions } from '../../runtime/scheduler/runFlow';
import { createRun } from '../../runtime/scheduler/createRun';
import { LoadedFlow, loadFlow } from '../../runtime/flowcode/loadFlow';
import type { TaskExecutor } from '../../runtime/scheduler/executor';
import type { WorkerPool } from '../../runtime/scheduler/workerPool';
import type { Datastore } from '../../runtime/datastore';
import type { StaticStep } from '../../runtime/datastore/records';
import { beginCheck, debug, validateFlow } from '../validate';
import { workflowStartingLine } from '../../model/runLog';
import { Command, defineSpec, helpText, parse, usageError } from '../command';
import { runIdFile } from '../runIdFile';
import { parseWith } from '../engines';
import { checkIdentifier } from '../../runtime/datastore/names';
import { BRANCH_OPTIONS, takeProject } from '../projectBranch';
import { CONFIG_OPTIONS, readRunConfigs, takeConfigArgs } from '../configArgs';

/** The options `run` and `resume` share: which flow, how and where its tasks run, what the new run is called. */
export const RUN_OPTIONS = {
  flow: { type: 'string', value: 'NAME', help: 'the flow of FILE to run, when FILE has several' },
  'max-workers': { type: 'string', value: 'N', help: 'tasks at a time (default: one per CPU)' },
  tag: { type: 'string', value: 'T', multiple: true, help: 'a tag of the new run (Run.tags, flowspec runs)' },
  until: { type: 'string', value: 'STEP', help: 'stop after STEP (resume the run later to go on)' },
  'run-id-file': { type: 'string', value: 'F', help: "write the new run's id to F" },
  inspect: {
    type: 'string',
    value: 'PORT',
    bare: '9229',
    help: 'tasks one at a time under the Node inspector (port 9229, 0 for a free one), waiting for a debugger',
  },
  with: { type: 'string', value: 'slurm', help: 'every task as a Slurm job (sbatch); the orchestrator stays local' },
} as const;

const spec = defineSpec({
  name: 'run',
  positionals: 'FILE',
  options: {
    ...RUN_OPTIONS,
    ...BRANCH_OPTIONS,
    ...CONFIG_OPTIONS,
    params: { type: 'string', value: 'PFILE', help: 'parameters from a params file (YAML or JSON); the command line wins' },
    help: { type: 'boolean', short: 'h', help: "the flow's parameters and these options" },
  },
  params: true,
  summary: 'runs the flow',
  details: '`run FILE --help` lists its parameters',
});

export function parseMaxWorkers(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || !/^\d+$/.test(String(value)))
    throw new UserError(`--max-workers needs a whole number of at least 1, not '${value}'`);
  return capWorkers(n, (line) => process.stderr.write(line + '\n'));
}

/** The local worker pool, its processes starting at once. */
export function warmPool(datastore: Datastore, options: ExecuteOptions): WorkerPool {
  const pool = createPool(datastore, options);
  pool.warm();
  return pool;
}

/** Whether a declared graph runs one task at a time (no branch, no foreach): one warm worker serves it. */
function oneAtATime(graph: Record<string, StaticStep>): boolean {
  return Object.values(graph).every((s) => s.kind !== 'branch' && s.kind !== 'foreach');
}

/**
 * Where the tasks run: the local worker pool (`warmed`, or warmed now) so its start-up overlaps the checks,
 * or Slurm (`--with slurm`, checked against the cluster before any run is created). `ready` resolves to
 * the executor once the checks passed.
 */
export function startExecutor(
  datastore: Datastore,
  flow: LoadedFlow,
  engine: 'slurm' | undefined,
  options: ExecuteOptions,
  warmed?: WorkerPool,
): { ready: Promise<TaskExecutor>; close(): void } {
  if (!engine) {
    const pool = warmed ?? warmPool(datastore, options);
    return { ready: Promise.resolve(pool), close: () => pool.close() };
  }
  if (options.inspect) throw new UserError('--inspect runs tasks in a local worker: it cannot be combined with --with');
  let executor: TaskExecutor | undefined;
  const ready = import('../../runtime/slurm').then(async (slurm) => {
    executor = await slurm.slurmExecutor(datastore, flow, options);
    return executor;
  });
  return { ready, close: () => executor?.close() };
}

async function main(argv: string[]): Promise<number> {
  const { argv: rest, given } = takeConfigArgs(argv);
  const { values, positionals, extras } = parse(spec, rest);
  const [file] = positionals;
  if (!file && values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  if (!file) throw usageError(spec);
  if (positionals.length > 1) throw new UserError(`unexpected argument '${positionals[1]}' (parameters are given as --NAME VALUE)`);
  const maxWorkers = parseMaxWorkers(values['max-workers']);
  const engine = parseWith(values.with, file);
  const idFile = runIdFile(values['run-id-file'] as string | undefined);
  if (values.flow !== undefined) checkIdentifier('flow name', values.flow as string);
  const datastore = openDatastore();
  const options = { maxWorkers, inspect: values.inspect as string | undefined, cliPath: process.argv[1] };
  // The local pool's processes start now: their start-up overlaps bundling the flow, and one of them
  // checks it meanwhile (unless a verdict on this text is cached: then its graph says how many can work at once).
  const pool = engine || values.help ? undefined : createPool(datastore, options);
  const early = pool && beginCheck(file, values.flow as string | undefined, (path, text) => pool.check(path, text));
  pool?.warm(early?.cached && oneAtATime(early.cached.graph) ? 1 : undefined);
  debug('run: the worker pool started');
  try {
    const flow = await loadFlow(file, values.flow as string | undefined, datastore);
    debug('run: the flow bundled and loaded');
    if (values.help) {
      process.stdout.write(`${describeParameters(flow.info)}\n${helpText(spec)}`);
      return 0;
    }
    // Configs first: their values are in the decorator options the executor reads.
    const configs = await readRunConfigs(flow, given, values.config, extras, values.params as string | undefined);
    const executor = startExecutor(datastore, flow, engine, options, pool);
    try {
      const until = values.until as string | undefined;
      if (until !== undefined && !flow.info.steps.has(until)) throw new UserError(`--until '${until}' is not a step of ${flow.info.name}`);
      const [graph, ready] = await Promise.all([validateFlow(flow, early), executor.ready]);
      debug('run: checked');
      const { runInputs } = await import('../../runtime/params/runInputs');
      const { project, extras: params } = takeProject(flow.info, { branch: values.branch, production: values.production }, extras);
      const inputs = await runInputs(flow.info, params, values.params as string | undefined, datastore);
      const run = createRun(datastore, flow, {
        graph,
        tags: (values.tag as string[]) ?? [],
        ...inputs,
        configs,
        ...(project ? { project } : {}),
      });
      idFile.write(run.runId);
      process.stdout.write(`${workflowStartingLine(run.runId)}\n`);
      if (project) process.stdout.write(`Project: ${project.name}, Branch: ${project.branch}\n`);
      if (options.inspect) {
        const where = options.inspect === '0' ? 'a free port (see "Debugger listening on" below)' : `port ${options.inspect}`;
        process.stdout.write(
          `Tasks run one at a time under the Node inspector on ${where}: attach a debugger to stop at breakpoints in steps.\n`,
        );
      }
      debug('run: created');
      const outcome = await executeRun(datastore, flow, run, ready, { until });
      debug('run: ended');
      return outcome.success ? 0 : 1;
    } finally {
      executor.close();
    }
  } finally {
    pool?.close();
  }
}

export const command: Command = { spec, main };
