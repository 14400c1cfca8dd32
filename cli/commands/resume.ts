// `flowspec resume FILE [STEP]`: a new run with the current code of FILE that clones every successful task of the origin run
// (with STEP: every task before STEP) and runs the rest.
import { ANY_NAMESPACE, Flow, NotFoundError, Run } from '../../runtime/client';
import { applyConfigs } from '../../runtime/flowcode/applyConfigs';
import type { FlowInfo } from '../../runtime/flowcode/introspect';
import type { ResolvedConfig } from '../../runtime/params/configValues';
import { deepFreeze } from '../../runtime/flow/config';
import { openDatastore } from '../../runtime/datastore';
import { UserError } from '../../runtime/errors';
import { OriginRun, stepsFrom } from '../../runtime/scheduler/resumePlan';
import { executeRun } from '../../runtime/scheduler/runFlow';
import { createRun } from '../../runtime/scheduler/createRun';
import { loadFlow } from '../../runtime/flowcode/loadFlow';
import { validateFlow } from '../validate';
import { workflowStartingLine } from '../../model/runLog';
import type { ResolvedParameter } from '../../runtime/flowcode/parameterValues';
import { checkIdentifier } from '../../runtime/datastore/names';
import { Command, defineSpec, parse, usageError } from '../command';
import { runIdFile } from '../runIdFile';
import { parseMaxWorkers, RUN_OPTIONS, startExecutor } from './run';
import { parseWith } from '../engines';

const spec = defineSpec({
  name: 'resume',
  positionals: 'FILE [STEP]',
  options: {
    'origin-run-id': { type: 'string', value: 'ID', help: 'the run to resume (default: the latest run of the flow)' },
    ...RUN_OPTIONS,
  },
  summary: "a new run of FILE's current code that reuses the successful tasks of an earlier run",
  details: 'clones every successful task of the origin (with STEP: every task before STEP) and runs the rest',
});

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv);
  const [file, fromStep] = positionals;
  if (!file) throw usageError(spec);
  if (positionals.length > 2) throw new UserError(`unexpected argument '${positionals[2]}' (resume takes FILE and at most one STEP)`);
  if (values.flow !== undefined) checkIdentifier('flow name', values.flow as string);
  if (values['origin-run-id'] !== undefined) checkIdentifier('run id', values['origin-run-id'] as string);
  const datastore = openDatastore();
  const maxWorkers = parseMaxWorkers(values['max-workers']);
  const engine = parseWith(values.with, file);
  const idFile = runIdFile(values['run-id-file'] as string | undefined);
  const flow = await loadFlow(file, values.flow as string | undefined, datastore);
  const name = flow.info.name;
  for (const [what, step] of [
    ['STEP', fromStep],
    ['--until', values.until],
  ] as const) {
    if (step !== undefined && !flow.info.steps.has(step as string)) throw new UserError(`${what} '${step}' is not a step of ${name}`);
  }
  let origin;
  try {
    origin = values['origin-run-id']
      ? new Flow(name, { datastore, ...ANY_NAMESPACE }).run(values['origin-run-id'] as string)
      : new Flow(name, { datastore }).latestRun;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    // A flow without runs has no earlier run; a missing --origin-run-id is named.
    if (values['origin-run-id']) throw new UserError(`${e.message}: nothing to resume`);
  }
  if (!origin) throw new UserError(`${name} has no earlier run to resume`);
  void origin.record; // a damaged run.json: one line naming it, before anything starts
  const originRun = new OriginRun(datastore, name, origin.id);
  if (!fromStep && originRun.failedSteps.size === 0 && origin.successful) {
    throw new UserError(`run ${name}/${origin.id} succeeded: name a STEP to run again from it`);
  }
  const options = { maxWorkers, inspect: values.inspect as string | undefined, cliPath: process.argv[1] };
  // The origin's configs, in the decorator options before the executor reads them.
  const configs = originConfigs(flow.info, origin);
  applyConfigs(flow.info, Object.fromEntries(configs.map((c) => [c.decl.name, c.value])));
  const executor = startExecutor(datastore, flow, engine, options);
  try {
    const [graph, ready] = await Promise.all([validateFlow(flow), executor.ready]);
    // Without STEP every successful task is cloned; with STEP, none of that step or after it.
    const rerunFrom = fromStep ? stepsFrom(graph, [fromStep]) : new Set<string>();
    const cloned = [...flow.info.steps.keys()].filter((s) => originRun.succeededSteps.has(s) && !rerunFrom.has(s));
    const originValues = origin.parameters;
    const parameters: ResolvedParameter[] = flow.info.parameters.map((info) => {
      const record = origin.record.parameters[info.decl.name];
      if (!record)
        throw new UserError(`run ${name}/${origin.id} has no value for parameter --${info.decl.name}, which the flow now declares`);
      return { info, value: originValues[info.decl.name], source: `run ${origin.id}`, ...(record.file ? { file: record.file } : {}) };
    });
    const run = createRun(datastore, flow, {
      graph,
      parameters,
      tags: (values.tag as string[]) ?? [],
      originRunId: origin.id,
      context: origin.record.context,
      env: origin.record.env,
      init: origin.record.init,
      configs,
      // As Metaflow's resume: the origin's project branch, whoever resumes it.
      ...(origin.record.project ? { project: origin.record.project } : {}),
    });
    idFile.write(run.runId);
    process.stdout.write(`Resuming ${name}/${origin.id} as run ${run.runId}.\n`);
    process.stdout.write(
      `  cloned: ${cloned.length ? `${cloned.join(', ')}${fromStep ? '' : ' (every task that succeeded)'}` : '(nothing)'}\n`,
    );
    const failed = originRun.failedSteps.size
      ? `the failed tasks of ${[...originRun.failedSteps].join(', ')}`
      : 'the tasks that did not finish';
    process.stdout.write(`  rerun:  ${fromStep ? `${fromStep} and every step after it` : `${failed} and what follows them`}\n`);
    process.stdout.write(`${workflowStartingLine(run.runId)}\n`);
    const outcome = await executeRun(datastore, flow, run, ready, {
      reuse: (launch, occurrence) => (rerunFrom.has(launch.step) ? undefined : originRun.find(launch, occurrence)),
      until: values.until as string | undefined,
    });
    return outcome.success ? 0 : 1;
  } finally {
    executor.close();
  }
}

export const command: Command = { spec, main };

/** As Metaflow's resume: the origin's config values, whatever the files say now. */
function originConfigs(info: FlowInfo, origin: Run): ResolvedConfig[] {
  const values = origin.configs;
  return info.configs.map(({ field, decl }) => {
    if (!(decl.name in values))
      throw new UserError(`run ${origin.pathspec} has no value for config '${decl.name}', which the flow now declares: start a new run`);
    return { field, decl, value: deepFreeze(values[decl.name]), source: `run ${origin.id}` };
  });
}
