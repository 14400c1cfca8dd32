// `flowspec finish-run --flow NAME --run-id ID`: records how a run that a remote engine drove
// ended (its exit handler runs this), from the tasks in the datastore: success when the `end` task
// succeeded, else failed with the failed tasks. The local scheduler writes the same record itself.
import { hostname } from 'node:os';
import { openDatastore } from '../../runtime/datastore';
import { keys, readRunRecord, readTaskRecord, RunStatusRecord, TaskRecord } from '../../runtime/datastore/records';
import { checkIdentifier } from '../../runtime/datastore/names';
import { Command, defineSpec, parse, usageError } from '../command';

const spec = defineSpec({
  name: 'finish-run',
  positionals: '',
  options: {
    flow: { type: 'string', value: 'NAME', required: true, help: 'the flow of the run' },
    'run-id': { type: 'string', value: 'ID', required: true, help: 'the run' },
  },
  summary: 'records how a run driven by a remote engine ended (its exit handler runs this)',
});

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv);
  const flow = values.flow as string | undefined;
  const runId = values['run-id'] as string | undefined;
  if (!flow || !runId || positionals.length) throw usageError(spec);
  checkIdentifier('flow name', flow);
  checkIdentifier('run id', runId);
  const datastore = openDatastore();
  if (!readRunRecord(datastore, flow, runId)) {
    // init-run failed (a bad parameter, say): there is no run to finish.
    process.stderr.write(`flowspec: no run ${flow}/${runId}: nothing to finish\n`);
    return 0;
  }
  const records: TaskRecord[] = [];
  for (const step of datastore.list(keys.steps(flow, runId))) {
    for (const task of datastore.list(keys.tasks(flow, runId, step))) {
      const r = readTaskRecord(datastore, flow, runId, step, task);
      if (r) records.push(r);
    }
  }
  const ended = records.some((r) => r.step === 'end' && r.status === 'success');
  const failed = records.filter((r) => r.status === 'failed').map((r) => `${r.flow}/${r.runId}/${r.step}/${r.taskId}`);
  const now = new Date().toISOString();
  const status: RunStatusRecord = {
    status: ended ? 'success' : 'failed',
    updatedAt: now,
    finishedAt: now,
    pid: process.pid,
    host: hostname(),
    ...(failed.length ? { failedTasks: failed } : {}),
  };
  datastore.writeJson(keys.runStatus(flow, runId), status);
  process.stdout.write(`Run ${flow}/${runId}: ${status.status} (${records.length} tasks).\n`);
  return 0;
}

export const command: Command = { spec, main };
