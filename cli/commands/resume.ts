// `flowspec resume FILE [STEP] [--origin-run-id ID] [--until STEP] [--flow NAME] [--max-workers N] [--tag T]... [--with slurm]`
// A new run with the current code of FILE that reuses the successful tasks of the origin run
// before the failed step (or before STEP) and runs the rest.
import { Flow, NotFoundError } from '../../runtime/client';
import { openDatastore } from '../../runtime/datastore';
import { UserError } from '../../runtime/errors';
import { OriginRun, stepsFrom } from '../../runtime/scheduler/resumePlan';
import { createRun, executeRun, loadFlow } from '../../runtime/scheduler/runFlow';
import { validateFlow } from '../validate';
import type { ResolvedParameter } from '../../runtime/flowcode/parameterValues';
import { deserializeArtifact } from '../../runtime/datastore/artifacts';
import { parseCommandLine } from '../args';
import { parseMaxWorkers, startExecutor } from './run';

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv.map((a) => (a === '--inspect' ? '--inspect=9229' : a)), {
    flow: { type: 'string' },
    'origin-run-id': { type: 'string' },
    until: { type: 'string' },
    'max-workers': { type: 'string' },
    tag: { type: 'string', multiple: true },
    inspect: { type: 'string' },
    with: { type: 'string' },
  });
  const [file, fromStep] = positionals;
  if (!file) throw new UserError('usage: flowspec resume FILE [STEP] [--origin-run-id ID] [--until STEP] [--with slurm]');
  const datastore = openDatastore();
  const flow = await loadFlow(file, values.flow as string | undefined, datastore);
  const name = flow.info.name;
  for (const [what, step] of [['STEP', fromStep], ['--until', values.until]] as const) {
    if (step !== undefined && !flow.info.steps.has(step as string)) throw new UserError(`${what} '${step}' is not a step of ${name}`);
  }
  let origin;
  try {
    origin = values['origin-run-id'] ? new Flow(name, { datastore }).run(values['origin-run-id'] as string) : new Flow(name, { datastore }).latestRun;
  } catch (e) {
    if (e instanceof NotFoundError) throw new UserError(`${e.message}: nothing to resume`);
    throw e;
  }
  if (!origin) throw new UserError(`${name} has no earlier run to resume`);
  const originRun = new OriginRun(datastore, name, origin.id);
  if (!fromStep && originRun.failedSteps.size === 0 && origin.successful) {
    throw new UserError(`run ${name}/${origin.id} succeeded: name a STEP to run again from it`);
  }
  const options = { maxWorkers: parseMaxWorkers(values['max-workers']), inspect: values.inspect as string | undefined, cliPath: process.argv[1] };
  const executor = startExecutor(datastore, flow, values.with, options);
  try {
    const [graph, ready] = await Promise.all([validateFlow(flow), executor.ready]);
    const rerun = stepsFrom(graph, fromStep ? [fromStep] : originRun.failedSteps);
    const cloned = [...flow.info.steps.keys()].filter((s) => originRun.succeededSteps.has(s) && !rerun.has(s));
    const parameters: ResolvedParameter[] = flow.info.parameters.map((info) => {
      const record = origin.record.parameters[info.decl.name];
      if (!record) throw new UserError(`run ${name}/${origin.id} has no value for parameter --${info.decl.name}, which the flow now declares`);
      return { info, value: deserializeArtifact(datastore.getBlob(name, record.hash)), source: `run ${origin.id}` };
    });
    const run = createRun(datastore, flow, { graph, parameters, tags: (values.tag as string[]) ?? [], originRunId: origin.id, context: origin.record.context, env: origin.record.env, init: origin.record.init });
    process.stdout.write(`Resuming ${name}/${origin.id} as run ${run.runId}.\n`);
    process.stdout.write(`  cloned: ${cloned.length ? cloned.join(', ') : '(nothing)'}\n`);
    process.stdout.write(`  rerun:  ${[...flow.info.steps.keys()].filter((s) => !cloned.includes(s)).join(', ')}\n`);
    process.stdout.write(`Workflow starting (run-id ${run.runId}):\n`);
    const outcome = await executeRun(datastore, flow, run, ready, {
      reuse: (launch, occurrence) => {
        const task = originRun.find(launch, occurrence);
        return task && (!rerun.has(launch.step) || (!fromStep && originRun.ledToFailure(task))) ? task : undefined;
      },
      until: values.until as string | undefined,
    });
    return outcome.success ? 0 : 1;
  } finally {
    executor.close();
  }
}
