// The table of `flowspec` commands, in the order `flowspec --help` and the README list them. A
// command is one module of cli/commands/ exporting `command` (cli/command.ts); adding a command is
// that file and one line here. A module loads when its command runs (require() in a function: the
// bundle evaluates it then), so `run` never pays for the others.
import type { CommandModule } from './command';

export const COMMANDS: Record<string, () => CommandModule> = {
  init: () => require('./commands/init') as CommandModule,
  run: () => require('./commands/run') as CommandModule,
  resume: () => require('./commands/resume') as CommandModule,
  spin: () => require('./commands/spin') as CommandModule,
  show: () => require('./commands/show') as CommandModule,
  check: () => require('./commands/check') as CommandModule,
  types: () => require('./commands/types') as CommandModule,
  graph: () => require('./commands/graph') as CommandModule,
  runs: () => require('./commands/runs') as CommandModule,
  dump: () => require('./commands/dump') as CommandModule,
  logs: () => require('./commands/logs') as CommandModule,
  tag: () => require('./commands/tag') as CommandModule,
  fsck: () => require('./commands/fsck') as CommandModule,
  card: () => require('./commands/card') as CommandModule,
  step: () => require('./commands/step') as CommandModule,
  'init-run': () => require('./commands/init-run') as CommandModule,
  'finish-run': () => require('./commands/finish-run') as CommandModule,
  argo: () => require('./commands/argo') as CommandModule,
  __worker: () => require('./commands/worker') as CommandModule,
  '__spin-standby': () => require('./commands/spin-standby') as CommandModule,
  '__refresh-types': () => require('./commands/refresh-types') as CommandModule,
};

/** Every command, in the table's order. */
export function allCommands(): CommandModule['command'][] {
  return Object.values(COMMANDS).map((load) => load().command);
}
