// `flowspec step FILE STEP --run-id R --task-id T --input-paths P[,P...] [--split-index I] [--retry-count N] [--flow NAME]`
// Runs exactly one task against the configured datastore: the entry point any engine launches.
// FILE is only used to name the flow when --flow is absent; the code comes from the run's package.
import { openDatastore } from '../../datastore';
import { keys, RunRecord } from '../../datastore/records';
import { UserError } from '../../errors';
import { TaskRunner } from '../../task/runTask';
import { parseCommandLine } from '../args';

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    flow: { type: 'string' },
    'run-id': { type: 'string' },
    'task-id': { type: 'string' },
    'input-paths': { type: 'string' },
    'split-index': { type: 'string' },
    'retry-count': { type: 'string' },
  });
  const [file, step] = positionals;
  const runId = values['run-id'] as string | undefined;
  const taskId = values['task-id'] as string | undefined;
  if (!file || !step || !runId || !taskId) throw new UserError('usage: flowspec step FILE STEP --run-id R --task-id T [--input-paths P,...] [--split-index I] [--retry-count N] [--flow NAME]');
  const datastore = openDatastore();
  const flow = (values.flow as string | undefined) ?? flowOfRun(datastore, file, runId);
  process.setSourceMapsEnabled(true);
  // Taken before the task captures stdout/stderr, so its output reaches the real streams.
  const out = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  const record = await new TaskRunner(datastore).run({
    flow,
    runId,
    step,
    taskId,
    inputPaths: values['input-paths'] ? String(values['input-paths']).split(',').filter(Boolean) : [],
    splitIndex: values['split-index'] !== undefined ? Number(values['split-index']) : undefined,
    retryCount: values['retry-count'] !== undefined ? Number(values['retry-count']) : 0,
  }, (stream, text) => out[stream](text));
  return record.status === 'success' ? 0 : 1;
}

/** The flow of run `runId` whose code came from FILE, when FILE holds one flow with that run. */
function flowOfRun(datastore: ReturnType<typeof openDatastore>, file: string, runId: string): string {
  const candidates = datastore.list('').filter((flow) => !flow.startsWith('.') && datastore.readJson<RunRecord>(keys.runRecord(flow, runId))?.sourceFile?.endsWith(file.replace(/^\.\//, '')));
  if (candidates.length !== 1) throw new UserError(`cannot tell which flow of ${file} run ${runId} belongs to: pass --flow NAME`);
  return candidates[0];
}
