// `flowspec card list|get|view|server`: the cards of tasks (see docs/cards.md).
import { writeFileSync } from 'node:fs';
import { ANY_NAMESPACE, Flow, NotFoundError, Task } from '../../runtime/client';
import { selfContainedCopy, StoredCard } from '../../runtime/cards/store';
import { UserError } from '../../runtime/errors';
import { Command, CommandGroup, defineSpec, parse, usageError } from '../command';
import { formatTable } from '../table';
import { openInBrowser } from '../cards/open';
import { serverCommand } from '../cards/server';

const ID = { type: 'string', value: 'ID', help: 'the card with this id (default: the first card of the task)' } as const;

const listSpec = defineSpec({
  name: 'card list',
  positionals: 'FLOW/RUN[/STEP[/TASK]]',
  options: { json: { type: 'boolean', help: 'the cards as a JSON array' } },
  summary: 'every card of a run, step or task',
});
const getSpec = defineSpec({
  name: 'card get',
  positionals: 'FLOW/RUN/STEP[/TASK]',
  options: { id: ID, output: { type: 'string', value: 'FILE', short: 'o', help: 'write the page to FILE (default: stdout)' } },
  summary: 'a card as one self-contained HTML page',
});
const viewSpec = defineSpec({
  name: 'card view',
  positionals: 'FLOW/RUN/STEP[/TASK]',
  options: { id: ID },
  summary: 'opens a card in the browser (or prints its path)',
});

export const command: CommandGroup = {
  name: 'card',
  summary: 'the cards of tasks (see [docs/cards.md](docs/cards.md))',
  subcommands: [
    { spec: listSpec, main: async (argv) => list(argv) },
    { spec: getSpec, main: async (argv) => get(argv) },
    { spec: viewSpec, main: async (argv) => view(argv) },
    serverCommand,
  ] satisfies Command[],
};

function list(argv: string[]): number {
  const { values, positionals } = parse(listSpec, argv);
  const [pathspec] = positionals;
  if (!pathspec) throw usageError(listSpec);
  const [flow, runId, step, taskId] = pathspec.split('/');
  if (!flow || !runId) throw new UserError(`'${pathspec}' is not a pathspec: expected FLOW/RUN[/STEP[/TASK]]`);
  const tasks = found(() => {
    const run = new Flow(flow, ANY_NAMESPACE).run(runId);
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
  const { values, positionals } = parse(getSpec, argv);
  const card = cardOf(positionals[0], values.id, getSpec);
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
  const { values, positionals } = parse(viewSpec, argv);
  const card = cardOf(positionals[0], values.id, viewSpec);
  // A local datastore's page opens in place (it loads the shared viewer next to it); any other
  // gets a self-contained copy in a temporary folder.
  const file = card.localPath ?? selfContainedCopy(card);
  if (openInBrowser(file)) process.stdout.write(`Opened ${file}\n`);
  else process.stdout.write(`${file}\n`);
  return 0;
}

/** The card named by a pathspec (a step with one task needs no task id) and an optional id. */
function cardOf(pathspec: string | undefined, id: string | undefined, spec: typeof getSpec | typeof viewSpec): StoredCard {
  if (!pathspec) throw usageError(spec);
  const [flow, runId, step, taskId] = pathspec.split('/');
  if (!flow || !runId || !step) throw new UserError(`'${pathspec}' is not a pathspec: expected FLOW/RUN/STEP[/TASK]`);
  const task = found((): Task => {
    const tasks = new Flow(flow, ANY_NAMESPACE).run(runId).step(step).tasks();
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
