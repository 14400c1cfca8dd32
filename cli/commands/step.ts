// `flowspec step FILE STEP --run-id R --task-id T ...`: runs exactly one task against the configured datastore: the entry point any engine launches.
// A run the datastore does not hold (a node that does not see the datastore) is refused, exit 2,
// before anything is written. --metadata facts (a Slurm job id) go into the task's record.
// FILE is only used to name the flow when --flow is absent; the code comes from the run's package.
// For engines that pass results between tasks as files (Argo's output parameters), the task can
// write the split indices of its foreach and the step its switch chose; --input-paths accepts the
// compact form of runtime/argo/inputPaths.ts.
import { writeFileSync } from 'node:fs';
import { expandInputPaths } from '../../runtime/argo/inputPaths';
import { openDatastore } from '../../runtime/datastore';
import { parseTaskPath, readRunRecord, readTaskRecord } from '../../runtime/datastore/records';
import { UserError } from '../../runtime/errors';
import { TaskRunner } from '../../runtime/task/runTask';
import { stepLeftRunning } from '../../runtime/task/stepTimeout';
import { identifierProblem } from '../../model/identifiers';
import { checkIdentifier } from '../../runtime/datastore/names';
import { checkOutputFile, wholeNumber } from '../args';
import { Command, defineSpec, parse, usageError } from '../command';

const spec = defineSpec({
  name: 'step',
  positionals: 'FILE STEP',
  options: {
    'run-id': { type: 'string', value: 'R', required: true, help: 'the run, created by `init-run` (or `run`)' },
    'task-id': { type: 'string', value: 'T', required: true, help: 'the id of this task' },
    'input-paths': {
      type: 'string',
      value: 'P,...',
      help: 'the tasks this one follows, RUN/STEP/TASK each (or the compact form of an engine)',
    },
    'split-index': { type: 'string', value: 'I', help: "this task's index in its foreach" },
    'retry-count': { type: 'string', value: 'N', help: 'the attempt (0 for the first)' },
    flow: { type: 'string', value: 'NAME', help: 'the flow of the run (default: the flow of FILE that has this run)' },
    'foreach-indices-file': { type: 'string', value: 'PATH', help: "write the split indices of the task's foreach (JSON) to PATH" },
    'switch-step-file': { type: 'string', value: 'PATH', help: 'write the step its switch chose to PATH' },
    metadata: { type: 'string', value: 'KEY=VALUE', multiple: true, help: "a fact for the task's record (where it ran)" },
  },
  summary: 'runs one task: the entry point every scheduler uses',
});

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv);
  const [file, step] = positionals;
  const runId = values['run-id'] as string | undefined;
  const taskId = values['task-id'] as string | undefined;
  if (!file || !step || !runId || !taskId) throw usageError(spec);
  checkIdentifier('step name', step);
  checkIdentifier('run id', runId);
  checkIdentifier('task id', taskId);
  const splitIndex = wholeNumber('--split-index', values['split-index']);
  const retryCount = wholeNumber('--retry-count', values['retry-count']) ?? 0;
  for (const option of ['foreach-indices-file', 'switch-step-file'] as const)
    if (values[option] !== undefined) checkOutputFile(`--${option}`, values[option] as string);
  const datastore = openDatastore();
  const flow = values.flow !== undefined ? checkIdentifier('flow name', values.flow as string) : flowOfRun(datastore, file, runId);
  if (!readRunRecord(datastore, flow, runId))
    throw new UserError(`no run ${flow}/${runId} in ${datastore.location}: create it with flowspec init-run first`);
  const metadata = parseMetadata((values.metadata as string[] | undefined) ?? []);
  process.setSourceMapsEnabled(true);
  // Taken before the task captures stdout/stderr, so its output reaches the real streams.
  const out = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  const inputPaths = values['input-paths']
    ? expandInputPaths(String(values['input-paths']), (path) => {
        const p = parseTaskPath(path);
        return readTaskRecord(datastore, flow, p.runId, p.step, p.taskId)?.status === 'success';
      })
    : [];
  inputPaths.forEach(parseTaskPath); // each names a task of this run's flow, inside the datastore
  const record = await new TaskRunner(datastore).run(
    {
      flow,
      runId,
      step,
      taskId,
      inputPaths,
      splitIndex,
      retryCount,
      ...(metadata ? { metadata } : {}),
    },
    (stream, text) => out[stream](text),
  );
  // Written whatever happened, so an engine that reads them as outputs finds them.
  const next = record.status === 'success' ? record.next : undefined;
  if (values['foreach-indices-file']) {
    const count = next?.kind === 'foreach' ? (next.foreachCount ?? 0) : 0;
    writeFileSync(values['foreach-indices-file'] as string, JSON.stringify(Array.from({ length: count }, (_, i) => i)));
  }
  if (values['switch-step-file']) writeFileSync(values['switch-step-file'] as string, next?.kind === 'switch' ? (next.chosen ?? '') : '');
  const code = record.status === 'success' ? 0 : 1;
  // A step that timed out may have left timers or awaits pending: the task is over, so is the process.
  if (stepLeftRunning()) process.exit(code);
  return code;
}

export const command: Command = { spec, main };

/** `KEY=VALUE` pairs; an empty value leaves the key out (a variable the engine did not set). */
function parseMetadata(pairs: string[]): Record<string, string> | undefined {
  if (!pairs.length) return undefined;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UserError(`--metadata takes KEY=VALUE, not '${pair}'`);
    if (pair.slice(at + 1)) out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** The flow of run `runId` whose code came from FILE, when FILE holds one flow with that run. */
function flowOfRun(datastore: ReturnType<typeof openDatastore>, file: string, runId: string): string {
  const ofFile = (flow: string) => {
    try {
      return readRunRecord(datastore, flow, runId)?.sourceFile?.endsWith(file.replace(/^\.\//, ''));
    } catch {
      return false; // a damaged run of another flow is not this one
    }
  };
  const candidates = datastore.list('').filter((flow) => !flow.startsWith('.') && identifierProblem(flow) === undefined && ofFile(flow));
  if (candidates.length !== 1) throw new UserError(`cannot tell which flow of ${file} run ${runId} belongs to: pass --flow NAME`);
  return candidates[0];
}
