// `flowspec logs FLOW/RUN/STEP[/TASK] [--stdout | --stderr] [--attempt N]` (Metaflow's `logs`): what
// tasks printed, as stored in the datastore (local or s3://). Without a task, every task of the step,
// each headed by its pathspec; the latest attempt unless --attempt names another.
import { Flow, NotFoundError, Task } from '../../runtime/client';
import { checkIdentifier } from '../../runtime/datastore/names';
import { UserError } from '../../runtime/errors';
import { wholeNumber } from '../args';
import { Command, defineSpec, parse, usageError } from '../command';
import { printable } from '../terminal';

const spec = defineSpec({
  name: 'logs',
  positionals: 'FLOW/RUN/STEP[/TASK]',
  options: {
    stdout: { type: 'boolean', help: 'only what the tasks printed to stdout' },
    stderr: { type: 'boolean', help: 'only what the tasks printed to stderr' },
    attempt: { type: 'string', value: 'N', help: 'the attempt N of each task (0 is the first; default: the latest)' },
  },
  summary: 'the stored output of a task, or of every task of the step when no task is given',
  details:
    'each task is headed by its pathspec and attempt; with one task and `--stdout` or `--stderr`, the output alone, as the step printed it',
});

type Stream = 'stdout' | 'stderr';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv);
  const [pathspec] = positionals;
  if (!pathspec) throw usageError(spec);
  if (positionals.length > 1) throw usageError(spec, `unexpected argument '${printable(positionals[1])}'`);
  if (values.stdout && values.stderr) throw usageError(spec, 'give --stdout or --stderr, or neither for both');
  const streams: Stream[] = values.stdout ? ['stdout'] : values.stderr ? ['stderr'] : ['stdout', 'stderr'];
  const attempt = wholeNumber('--attempt', values.attempt);
  const tasks = tasksOf(pathspec);
  const shown = tasks.map((task) => ({ task, source: task.attemptNumbers().length ? task : (task.origin ?? task) }));
  if (attempt !== undefined) {
    const having = shown.filter(({ source }) => source.attemptNumbers().includes(attempt));
    if (!having.length) {
      const attempts = shown[0].source.attemptNumbers().join(', ') || 'none yet';
      throw new UserError(
        tasks.length > 1
          ? `no task of ${pathspec} has an attempt ${attempt}`
          : `${pathspec} has no attempt ${attempt} (attempts: ${attempts})`,
      );
    }
  }
  // One task and one stream: the output alone (for a pipe); otherwise each part is headed.
  const bare = tasks.length === 1 && streams.length === 1 && pathspec.split('/').length === 4;
  for (const { task, source } of shown) {
    const attempts = source.attemptNumbers();
    const number = attempt ?? source.record?.attempt ?? attempts.at(-1) ?? 0;
    if (!bare) process.stdout.write(`${header(task, source, number, attempts)}\n`);
    if (!attempts.includes(number)) {
      process.stdout.write(attempts.length ? `  (no attempt ${number})\n` : '  (not started)\n');
      continue;
    }
    for (const stream of streams) {
      const text = source.log(stream, number);
      if (bare) {
        process.stdout.write(text);
        continue;
      }
      if (streams.length > 1) process.stdout.write(`${stream}:\n`);
      process.stdout.write(text ? (text.endsWith('\n') ? text : `${text}\n`) : `  (nothing on ${stream})\n`);
    }
  }
  return 0;
}

/** The tasks a pathspec names: one, or every task of the step. */
function tasksOf(pathspec: string): Task[] {
  const parts = pathspec.split('/');
  const [flow, runId, step, taskId] = parts;
  if (parts.length < 3 || parts.length > 4 || !flow || !runId || !step || (parts.length === 4 && !taskId))
    throw new UserError(`'${printable(pathspec)}' is not a pathspec: expected FLOW/RUN/STEP[/TASK]`);
  checkIdentifier('flow name', flow);
  checkIdentifier('run id', runId);
  checkIdentifier('step name', step);
  if (taskId !== undefined) checkIdentifier('task id', taskId);
  try {
    const tasks = new Flow(flow).run(runId).step(step).tasks();
    if (taskId === undefined) return tasks;
    const task = tasks.find((t) => t.id === taskId);
    if (!task) throw new NotFoundError(`no task ${pathspec} (tasks of ${flow}/${runId}/${step}: ${tasks.map((t) => t.id).join(', ')})`);
    return [task];
  } catch (e) {
    if (e instanceof NotFoundError) throw new UserError(e.message);
    throw e;
  }
}

/** `HelloFlow/3/start/1 (attempt 1 of 0-1)`, and where a cloned task's output comes from. */
function header(task: Task, source: Task, attempt: number, attempts: number[]): string {
  const of = attempts.length > 1 ? ` of ${attempts[0]}-${attempts.at(-1)}` : '';
  const cloned = source !== task ? `, cloned from ${source.pathspec}` : '';
  return `== ${task.pathspec} (attempt ${attempt}${of}${cloned}) ==`;
}

export const command: Command = { spec, main };
