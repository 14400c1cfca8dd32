// `flowspec card list|get|view|server`: the cards of tasks (see docs/cards.md).
//   list FLOW/RUN[/STEP[/TASK]] [--json]     every card of a run, step or task
//   get FLOW/RUN/STEP[/TASK] [--id ID] [-o FILE]   a card as one self-contained HTML page
//   view FLOW/RUN/STEP[/TASK] [--id ID]      opens it in the browser (or prints its path)
//   server [--port N]                        a local page of runs and their cards, live
import { writeFileSync } from 'node:fs';
import { Flow, NotFoundError, Task } from '../../runtime/client';
import { selfContainedCopy, StoredCard } from '../../runtime/cards/store';
import { UserError } from '../../runtime/errors';
import { parseCommandLine } from '../args';
import { formatTable } from '../table';
import { openInBrowser } from '../cards/open';

const USAGE = `usage: flowspec card list FLOW/RUN[/STEP[/TASK]] [--json]
       flowspec card get FLOW/RUN/STEP[/TASK] [--id ID] [-o FILE]
       flowspec card view FLOW/RUN/STEP[/TASK] [--id ID]
       flowspec card server [--port N]`;

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return list(rest);
    case 'get':
      return get(rest);
    case 'view':
      return view(rest);
    case 'server':
      return (await import('../cards/server')).serve(rest);
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return sub ? 0 : 2;
    default:
      throw new UserError(`unknown card command '${sub}'\n${USAGE}`);
  }
}

function list(argv: string[]): number {
  const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean' } });
  const [pathspec] = positionals;
  if (!pathspec) throw new UserError('usage: flowspec card list FLOW/RUN[/STEP[/TASK]] [--json]');
  const [flow, runId, step, taskId] = pathspec.split('/');
  if (!flow || !runId) throw new UserError(`'${pathspec}' is not a pathspec: expected FLOW/RUN[/STEP[/TASK]]`);
  const tasks = found(() => {
    const run = new Flow(flow).run(runId);
    const all = (step ? [run.step(step)] : run.steps()).flatMap((s) => s.tasks()).filter((t) => !taskId || t.id === taskId);
    if (taskId && !all.length) throw new NotFoundError(`no task ${pathspec}`);
    return all;
  });
  const rows = tasks.flatMap((task) =>
    task.cards.map((card) => ({
      task: task.pathspec,
      index: card.index,
      id: card.id ?? null,
      type: card.type,
      status: card.data.status,
      file: card.localPath ?? null,
    })),
  );
  if (values.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  if (!rows.length) {
    process.stdout.write(`No cards in ${pathspec}: add @card() to a step (see docs/cards.md).\n`);
    return 0;
  }
  const table = [['TASK', 'CARD', 'ID', 'TYPE', 'STATUS'], ...rows.map((r) => [r.task, String(r.index), r.id ?? '-', r.type, r.status])];
  process.stdout.write(formatTable(table));
  return 0;
}

function get(argv: string[]): number {
  const { values, positionals } = parseCommandLine(argv, { id: { type: 'string' }, output: { type: 'string', short: 'o' } });
  const card = cardOf(positionals[0], values.id as string | undefined, 'get');
  const html = card.html;
  if (values.output) {
    writeFileSync(values.output as string, html);
    process.stdout.write(
      `Wrote ${card.task.flow}/${card.task.runId}/${card.task.step}/${card.task.taskId} card ${card.id ?? card.index} to ${values.output}\n`,
    );
  } else {
    process.stdout.write(html);
  }
  return 0;
}

function view(argv: string[]): number {
  const { values, positionals } = parseCommandLine(argv, { id: { type: 'string' } });
  const card = cardOf(positionals[0], values.id as string | undefined, 'view');
  // A local datastore's page opens in place (it loads the shared viewer next to it); any other
  // gets a self-contained copy in a temporary folder.
  const file = card.localPath ?? selfContainedCopy(card);
  if (openInBrowser(file)) process.stdout.write(`Opened ${file}\n`);
  else process.stdout.write(`${file}\n`);
  return 0;
}

/** The card named by a pathspec (a step with one task needs no task id) and an optional id. */
function cardOf(pathspec: string | undefined, id: string | undefined, command: string): StoredCard {
  if (!pathspec)
    throw new UserError(`usage: flowspec card ${command} FLOW/RUN/STEP[/TASK] [--id ID]${command === 'get' ? ' [-o FILE]' : ''}`);
  const [flow, runId, step, taskId] = pathspec.split('/');
  if (!flow || !runId || !step) throw new UserError(`'${pathspec}' is not a pathspec: expected FLOW/RUN/STEP[/TASK]`);
  const task = found((): Task => {
    const tasks = new Flow(flow).run(runId).step(step).tasks();
    if (taskId) {
      const t = tasks.find((x) => x.id === taskId);
      if (!t) throw new NotFoundError(`no task ${pathspec}`);
      return t;
    }
    if (tasks.length > 1)
      throw new UserError(
        `step ${pathspec} has ${tasks.length} tasks: name one, e.g. ${pathspec}/${tasks[0].id} (flowspec card list ${pathspec} lists them)`,
      );
    return tasks[0];
  });
  const cards = task.cards;
  if (!cards.length) throw new UserError(`task ${task.pathspec} has no cards: add @card() to step '${task.step}'`);
  if (id === undefined) return cards[0];
  const card = cards.find((c) => c.id === id);
  if (!card)
    throw new UserError(`task ${task.pathspec} has no card with id '${id}' (ids: ${cards.map((c) => c.id ?? '(none)').join(', ')})`);
  return card;
}

function found<T>(lookup: () => T): T {
  try {
    return lookup();
  } catch (e) {
    if (e instanceof NotFoundError) throw new UserError(e.message);
    throw e;
  }
}
