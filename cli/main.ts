// Entry point of `flowspec` (dist/cli.js): finds the command in the table (commandTable.ts) and
// runs it; `--help` and `--version`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodeOf, isUserError } from '../runtime/errors';
import { overview, runCommand } from './command';
import { allCommands, COMMANDS } from './commandTable';
import { printable } from './terminal';

/** The package's version: dist/cli.js sits in dist/ next to package.json's folder. */
const VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`flowspec ${VERSION} (node ${process.versions.node})\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview(allCommands()));
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load || !Object.hasOwn(COMMANDS, name)) {
    process.stderr.write(`flowspec: unknown command '${printable(name.slice(0, 60))}' (flowspec --help lists them)\n`);
    return 2;
  }
  return runCommand(load().command, rest);
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
