// `flowspec init-run FILE [--flow NAME] [--run-id ID] [--tag T]... [--params PFILE] [--PARAM VALUE]...`
// `flowspec init-run --package .code/<sha>/flow.js --flow NAME [--run-id ID] [--PARAM VALUE]...`
// Creates a run without running it: stores the code package, the parameters and the graph, and
// prints the run id. A remote engine runs this first, then each task with `flowspec step`. With
// --package the flow comes from a code package published to the datastore (by `argo create`), so
// the machine that runs it needs no source.
import { hostname } from 'node:os';
import { publishFlow, loadPublishedFlow } from '../../runtime/argo/package';
import { openDatastore } from '../../runtime/datastore';
import { keys, RunStatusRecord } from '../../runtime/datastore/records';
import { createRun } from '../../runtime/scheduler/createRun';
import { loadFlow } from '../../runtime/flowcode/loadFlow';
import type { Datastore } from '../../runtime/datastore';
import { validateFlow } from '../validate';
import { Command, defineSpec, parse, usageError } from '../command';
import { runIdFile } from '../runIdFile';
import { checkIdentifier } from '../../runtime/datastore/names';
import { BRANCH_OPTIONS, takeProject } from '../projectBranch';
import { CONFIG_OPTIONS, readRunConfigs, takeConfigArgs } from '../configArgs';

const spec = defineSpec({
  name: 'init-run',
  positionals: '[FILE]',
  options: {
    flow: { type: 'string', value: 'NAME', help: 'the flow of FILE (or of the package)' },
    package: { type: 'string', value: 'KEY', help: 'instead of FILE, a code package published by `argo create` (needs --flow)' },
    'run-id': { type: 'string', value: 'ID', help: 'the id of the new run (default: the next number)' },
    'run-id-file': { type: 'string', value: 'F', help: "write the new run's id to F" },
    tag: { type: 'string', value: 'T', multiple: true, help: 'a tag of the new run' },
    params: { type: 'string', value: 'PFILE', help: 'parameters from a params file (YAML or JSON)' },
    // An engine passes every parameter, and an empty value where the user gave none.
    'empty-means-default': { type: 'boolean', help: 'an empty --PARAM value means the default (for engines)' },
    engine: { type: 'string', value: 'NAME', help: 'the engine that drives the run, recorded in its status (default external)' },
    ...BRANCH_OPTIONS,
    ...CONFIG_OPTIONS,
  },
  params: true,
  summary: 'creates a run (code, parameters, graph) without running it, and prints its id',
  details: 'for engines that then launch `step` for each task',
});

async function main(argv: string[]): Promise<number> {
  const { argv: rest, given: givenConfigs } = takeConfigArgs(argv);
  const { values, positionals, extras } = parse(spec, rest);
  const [file] = positionals;
  const codeKey = values.package as string | undefined;
  const flowName = values.flow as string | undefined;
  if ((!file && !codeKey) || (file && codeKey) || (codeKey && !flowName)) throw usageError(spec);
  if (flowName !== undefined) checkIdentifier('flow name', flowName);
  if (values['run-id'] !== undefined) checkIdentifier('run id', values['run-id'] as string);
  const datastore = openDatastore();
  const idFile = runIdFile(values['run-id-file'] as string | undefined);
  const { flow, graph } = codeKey
    ? await loadPublishedFlow(datastore, codeKey, flowName!)
    : await publishChecked(datastore, file, flowName);
  // `argo create` passes every config's value (--config-value): a pod has no config files.
  const configs = await readRunConfigs(flow, givenConfigs, values.config, extras, values.params as string | undefined);
  const { project, extras: params } = takeProject(flow.info, { branch: values.branch, production: values.production }, extras);
  const given = values['empty-means-default'] ? params.filter((e) => e.value !== '') : params;
  const { runInputs } = await import('../../runtime/params/runInputs');
  const inputs = await runInputs(flow.info, given, values.params as string | undefined, datastore);
  const run = createRun(datastore, flow, {
    graph,
    tags: (values.tag as string[]) ?? [],
    runId: values['run-id'] as string | undefined,
    ...inputs,
    configs,
    ...(project ? { project } : {}),
  });
  // The run belongs to the engine now: no process here to watch (finish-run records the end).
  const status: RunStatusRecord = {
    status: 'running',
    updatedAt: new Date().toISOString(),
    pid: process.pid,
    host: hostname(),
    engine: (values.engine as string | undefined) ?? 'external',
  };
  datastore.writeJson(keys.runStatus(run.flow, run.runId), status);
  idFile.write(run.runId);
  process.stdout.write(`${run.runId}\n`);
  return 0;
}

export const command: Command = { spec, main };

async function publishChecked(datastore: Datastore, file: string, flowName: string | undefined) {
  const flow = await loadFlow(file, flowName, datastore);
  return publishFlow(datastore, flow, await validateFlow(flow));
}
