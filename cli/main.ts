// Entry point of `flowspec` (dist/cli.js). Each command lives in its own module under commands/
// and is loaded on demand, so `run` never pays for the analyzer's start-up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodeOf, isUserError } from '../runtime/errors';
import { printable } from './terminal';

/** The package's version: dist/cli.js sits in dist/ next to package.json's folder. */
const VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

type Command = { main(argv: string[]): Promise<number> };

const commands: Record<string, () => Promise<Command>> = {
  init: () => import('./commands/init'),
  run: () => import('./commands/run'),
  resume: () => import('./commands/resume'),
  step: () => import('./commands/step'),
  'init-run': () => import('./commands/init-run'),
  'finish-run': () => import('./commands/finish-run'),
  argo: () => import('./commands/argo'),
  show: () => import('./commands/show'),
  check: () => import('./commands/check'),
  graph: () => import('./commands/graph'),
  runs: () => import('./commands/runs'),
  dump: () => import('./commands/dump'),
  fsck: () => import('./commands/fsck'),
  card: () => import('./commands/card'),
  __worker: () => import('./commands/worker'),
};

const USAGE = `usage: flowspec <command> [options]

commands:
  init [DIR]                     a new project: package.json, tsconfig.json, an example flow
  run FILE [--flow NAME] [--max-workers N] [--tag T]... [--params PFILE] [--with slurm] [--PARAM VALUE]...
  resume FILE [STEP] [--origin-run-id ID] [--until STEP] [--with slurm]
  show FILE                      steps in order with their docs and transitions
  check FILE... [--json]         static diagnostics (exit 1 on errors)
  graph FILE [--format json|dot|mermaid]
  runs [FLOW]                    past runs
  dump FLOW/RUN[/STEP[/TASK]]    artifacts of a run, step or task
  fsck [FLOW] [--repair]         verify every record and blob; --repair removes what cannot be trusted
  card list|get|view|server      the cards of tasks (@card): list FLOW/RUN[/STEP[/TASK]],
                                 get PATHSPEC [--id ID] [-o FILE], view PATHSPEC, server [--port N]
  step FILE STEP --run-id R --task-id T --input-paths P [--split-index I] [--retry-count N]
                                 run one task (the entry point every scheduler uses)
  init-run FILE [--flow NAME] [--run-id ID] [--PARAM VALUE]...
                                 create a run (code, parameters, graph) without running it
  finish-run --flow NAME --run-id ID
                                 record how a run driven by a remote engine ended
  argo create FILE [--image IMAGE] [--namespace NS] [-o out.yaml]
                                 an Argo Workflows WorkflowTemplate that runs the flow`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`flowspec ${VERSION} (node ${process.versions.node})\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load || !Object.hasOwn(commands, name)) {
    process.stderr.write(`flowspec: unknown command '${printable(name.slice(0, 60))}' (flowspec --help lists them)\n`);
    return 2;
  }
  const command = await load();
  return command.main(rest);
}

/** One line for the user; the stack only with FLOWSPEC_DEBUG=1. */
function report(e: unknown): number {
  const debug = process.env.FLOWSPEC_DEBUG === '1';
  if (isUserError(e)) {
    const hint = e.name === 'DamagedError' && !e.message.includes('fsck') ? ' (flowspec fsck --repair removes what cannot be trusted)' : '';
    process.stderr.write(`flowspec: ${e.message}${hint}\n`);
    if (debug && e.stack) process.stderr.write(`[debug] ${e.stack}\n`);
    return exitCodeOf(e);
  }
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  process.stderr.write(`flowspec: internal error: ${printable(message.split('\n')[0])}${debug ? '' : ' (FLOWSPEC_DEBUG=1 shows where)'}\n`);
  if (debug) process.stderr.write(`[debug] ${e instanceof Error ? e.stack : e}\n`);
  return 3;
}

// A reader that went away (`flowspec runs | head -4`) is not an error: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.exitCode = report(e);
  },
);
