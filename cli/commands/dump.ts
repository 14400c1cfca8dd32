// `flowspec dump FLOW/RUN[/STEP[/TASK]] [--json]`: the artifacts of a run, a step or a task.
// A run or a step lists each task's artifacts with a preview; a task prints the full values.
import { inspect } from 'node:util';
import { ANY_NAMESPACE, Flow, NotFoundError, Task } from '../../runtime/client';
import { UserError } from '../../runtime/errors';
import { checkIdentifier } from '../../runtime/datastore/names';
import { Command, defineSpec, parse, usageError } from '../command';
import { printable } from '../terminal';

const spec = defineSpec({
  name: 'dump',
  positionals: 'FLOW/RUN[/STEP[/TASK]]',
  options: { json: { type: 'boolean', help: 'the tasks and their artifacts as JSON' } },
  summary: 'artifacts of a run or step (previews) or a task (full values)',
});

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv);
  const [pathspec] = positionals;
  if (!pathspec) throw usageError(spec);
  const [flowName, runId, stepName, taskId] = pathspec.split('/');
  const parts = pathspec.split('/');
  if (!flowName || !runId || parts.length > 4)
    throw new UserError(`'${printable(pathspec)}' is not a pathspec: expected FLOW/RUN[/STEP[/TASK]]`);
  checkIdentifier('flow name', flowName);
  checkIdentifier('run id', runId);
  if (stepName !== undefined) checkIdentifier('step name', stepName);
  if (taskId !== undefined) checkIdentifier('task id', taskId);
  let tasks: Task[];
  try {
    const run = new Flow(flowName, ANY_NAMESPACE).run(runId);
    void run.record; // a damaged run.json: one line naming it, before any task
    const steps = stepName ? [run.step(stepName)] : run.steps();
    tasks = steps.flatMap((s) => s.tasks()).filter((t) => !taskId || t.id === taskId);
    if (taskId && !tasks.length) throw new NotFoundError(`no task ${pathspec}`);
  } catch (e) {
    if (e instanceof NotFoundError) throw new UserError(e.message);
    throw e;
  }
  const full = taskId !== undefined;
  if (values.json) {
    const out = tasks.map((t) => ({
      pathspec: t.pathspec,
      status: t.finished ? (t.successful ? 'success' : 'failed') : 'running',
      ...(Object.keys(t.metadata).length ? { metadata: t.metadata } : {}),
      ...(t.record?.environment ? { environment: t.record.environment } : {}),
      artifacts: Object.fromEntries(
        Object.values(t.artifacts).map((a) => [a.name, full ? toJson(a.value) : { type: a.type, size: a.size, preview: a.preview }]),
      ),
    }));
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  for (const task of tasks) {
    process.stdout.write(`${printable(task.pathspec)}${task.finished ? (task.successful ? '' : ' (failed)') : ' (running)'}\n`);
    const metadata = Object.entries(task.metadata);
    if (metadata.length) process.stdout.write(`    [${metadata.map(([k, v]) => `${k}: ${printable(String(v))}`).join(', ')}]\n`);
    const environment = Object.entries(task.record?.environment ?? {});
    if (environment.length)
      process.stdout.write(`    environment (@environment): ${environment.map(([k, v]) => `${k}=${printable(v)}`).join(', ')}\n`);
    const artifacts = Object.values(task.artifacts);
    if (!artifacts.length) process.stdout.write('    (no artifacts)\n');
    for (const a of artifacts) {
      const shown = full
        ? inspect(a.value, { depth: 6, maxArrayLength: 200, maxStringLength: 10_000, breakLength: 100 }).replace(/\n/g, '\n      ')
        : a.preview;
      process.stdout.write(`    ${printable(a.name)} (${printable(a.type)}): ${printable(shown, { keepNewlines: true })}\n`);
    }
  }
  return 0;
}

export const command: Command = { spec, main };

/** JSON for values JSON cannot hold as they are (Map, Set, BigInt, typed arrays...). */
function toJson(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (v instanceof RegExp) return String(v);
      return v;
    }) ?? null,
  );
}
