// Entry point of `flowspec` (dist/cli.js). Each command lives in its own module under commands/
// and is loaded on demand, so `run` never pays for the analyzer's start-up.
import { isUserError } from '../runtime/errors';

type Command = { main(argv: string[]): Promise<number> };

const commands: Record<string, () => Promise<Command>> = {
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
  card: () => import('./commands/card'),
  __worker: () => import('./commands/worker'),
};

const USAGE = `usage: flowspec <command> [options]

commands:
  run FILE [--flow NAME] [--max-workers N] [--tag T]... [--params PFILE] [--PARAM VALUE]...
  resume FILE [STEP] [--origin-run-id ID] [--until STEP]
  show FILE                      steps in order with their docs and transitions
  check FILE... [--json]         static diagnostics (exit 1 on errors)
  graph FILE [--format json|dot|mermaid]
  runs [FLOW]                    past runs
  dump FLOW/RUN[/STEP[/TASK]]    artifacts of a run, step or task
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
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`flowspec: unknown command '${name}'\n${USAGE}\n`);
    return 2;
  }
  const command = await load();
  return command.main(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    if (isUserError(e)) {
      process.stderr.write(`flowspec: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`flowspec: internal error: ${e && e.stack ? e.stack : e}\n`);
      process.exitCode = 3;
    }
  },
);
