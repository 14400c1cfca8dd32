// `flowspec tag add|remove|replace|list FLOW/RUN [TAG]...`: a run's user tags after the fact
// (Metaflow's `tag`), through the client API's Run.addTags/removeTags/replaceTags. System tags
// (`user:NAME`, `runtime:node-X`) are shown but cannot change.
import { Flow, NotFoundError, Run } from '../../runtime/client';
import { checkIdentifier } from '../../runtime/datastore/names';
import { UserError } from '../../runtime/errors';
import { Command, CommandGroup, CommandSpec, defineSpec, parse, usageError } from '../command';
import { printable } from '../terminal';

const addSpec = defineSpec({ name: 'tag add', positionals: 'FLOW/RUN TAG...', options: {}, summary: 'adds user tags to a run' });
const removeSpec = defineSpec({
  name: 'tag remove',
  positionals: 'FLOW/RUN TAG...',
  options: {},
  summary: 'removes user tags from a run (system tags cannot be removed)',
});
const replaceSpec = defineSpec({
  name: 'tag replace',
  positionals: 'FLOW/RUN OLD NEW',
  options: {},
  summary: 'replaces user tag OLD by NEW in one change',
});
const listSpec = defineSpec({
  name: 'tag list',
  positionals: 'FLOW/RUN',
  options: { json: { type: 'boolean', help: '{ run, tags, systemTags } as JSON' } },
  summary: "a run's user tags and system tags",
});

export const command: CommandGroup = {
  name: 'tag',
  summary: "a run's tags after the fact; system tags cannot change",
  subcommands: [
    { spec: addSpec, main: async (argv) => change(addSpec, argv, (run, tags) => run.addTags(tags)) },
    { spec: removeSpec, main: async (argv) => change(removeSpec, argv, (run, tags) => run.removeTags(tags)) },
    {
      spec: replaceSpec,
      main: async (argv) =>
        change(replaceSpec, argv, (run, tags) => {
          if (tags.length !== 2) throw usageError(replaceSpec, `replace takes one tag to remove and one to add, not ${tags.length}`);
          run.replaceTag(tags[0], tags[1]);
        }),
    },
    { spec: listSpec, main: async (argv) => list(argv) },
  ] satisfies Command[],
};

/** Applies a change to the run named by the first positional, then prints its tags. */
function change(spec: CommandSpec, argv: string[], apply: (run: Run, tags: string[]) => void): number {
  const { positionals } = parse(spec, argv);
  const [pathspec, ...tags] = positionals;
  if (!pathspec || !tags.length) throw usageError(spec);
  const run = runOf(pathspec);
  apply(run, tags);
  process.stdout.write(`${tagLine(run)}\n`);
  return 0;
}

function list(argv: string[]): number {
  const { values, positionals } = parse(listSpec, argv);
  if (positionals.length !== 1) throw usageError(listSpec);
  const run = runOf(positionals[0]);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ run: run.pathspec, tags: run.userTags, systemTags: run.systemTags }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${tagLine(run)}\n`);
  return 0;
}

/** `HelloFlow/3: exp1, best (system: user:ada, runtime:node-20.19.0)` */
function tagLine(run: Run): string {
  const user = run.userTags;
  return printable(`${run.pathspec}: ${user.length ? user.join(', ') : '(no user tags)'} (system: ${run.systemTags.join(', ')})`);
}

function runOf(pathspec: string): Run {
  const parts = pathspec.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UserError(`'${printable(pathspec)}' is not a run: expected FLOW/RUN`);
  const [flow, runId] = [checkIdentifier('flow name', parts[0]), checkIdentifier('run id', parts[1])];
  try {
    const run = new Flow(flow).run(runId);
    void run.record; // a damaged run.json: one line naming it
    return run;
  } catch (e) {
    if (e instanceof NotFoundError) throw new UserError(e.message);
    throw e;
  }
}
