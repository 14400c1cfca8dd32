// What a `flowspec` command declares once (its name, positionals, options and summary) and what is
// made from that declaration: the parser's options, the usage line of an error and `--help`. The
// README's CLI table is checked against the same declarations (test/cli/table.test.ts).
import { UserError } from '../runtime/errors';
import { parseCommandLine, Parsed } from './args';
import { printable } from './terminal';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in the usage line: `--flow NAME`. */
  value?: string;
  short?: string;
  multiple?: boolean;
  /** Must be given (shown without brackets in the usage line). */
  required?: boolean;
  /** The value of the bare option (`--inspect` is `--inspect=9229`); another value is given only as `--inspect=PORT`. */
  bare?: string;
  /** One line for `--help`. */
  help: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  /** As typed after `flowspec`: `run`, `card list`. */
  name: string;
  /** The positionals as the usage line shows them: `FILE [STEP]`. */
  positionals: string;
  options: O;
  /** Takes the flow's parameters as `--NAME VALUE` (every option it does not declare). */
  params?: boolean;
  /** One line: `flowspec --help`, `flowspec CMD --help` and the README's CLI table show it. */
  summary: string;
  /** More sentences for `flowspec CMD --help` and the README (backticks and links as in Markdown). */
  details?: string;
  /** Started by flowspec itself, never by users: not listed. */
  internal?: boolean;
}

/** A command: what it takes, and what it does with its arguments (`argv` after the command's name). */
export interface Command {
  spec: CommandSpec;
  main(argv: string[]): Promise<number>;
}

/** A command made of subcommands (`flowspec card list|get|view|server`). */
export interface CommandGroup {
  name: string;
  summary: string;
  subcommands: Command[];
}

/** What each module of cli/commands/ exports. */
export interface CommandModule {
  command: Command | CommandGroup;
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S['multiple'] extends true ? string[] : string;

/** Parsed arguments, typed from the command's options. */
export interface Args<O extends OptionSpecs> {
  values: { [K in keyof O]?: ValueOf<O[K]> };
  positionals: string[];
  extras: Parsed['extras'];
}

/** Declares a command's arguments; `const` keeps each option's literal type, so `parse` types its values. */
export function defineSpec<const O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** The arguments of a command; a bad one is a UserError whose one line ends with the usage. */
export function parse<O extends OptionSpecs>(spec: CommandSpec<O>, argv: string[]): Args<O> {
  try {
    return parseCommandLine(argv, spec.options, spec.params === true) as Args<O>;
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${e.message} (${usage(spec)})`);
    throw e;
  }
}

/** The error for arguments that do not fit the command: what is wrong, if said, and the usage line. */
export function usageError(spec: CommandSpec, problem?: string): UserError {
  return new UserError(problem ? `${problem} (${usage(spec)})` : usage(spec));
}

/** `usage: flowspec run FILE [--flow NAME] ... [--PARAM VALUE]...` */
export function usage(spec: CommandSpec): string {
  return `usage: ${synopsis(spec)}`;
}

/** The command line with every option: `flowspec show FILE [--flow NAME]`. */
export function synopsis(spec: CommandSpec): string {
  const options = Object.entries(spec.options)
    .filter(([name]) => name !== 'help')
    .map(([name, o]) => {
      const text = optionText(o.short ? `-${o.short}` : `--${name}`, o);
      return (o.required ? text : `[${text}]`) + (o.multiple ? '...' : '');
    });
  return ['flowspec', spec.name, spec.positionals, ...options, ...(spec.params ? ['[--PARAM VALUE]...'] : [])].filter(Boolean).join(' ');
}

/** `--flow NAME`, `--inspect[=PORT]`, `--json`. */
function optionText(name: string, o: OptionSpec): string {
  return `${name}${o.bare !== undefined ? `[=${o.value}]` : o.type === 'string' ? ` ${o.value}` : ''}`;
}

/** `flowspec CMD --help`: the usage line, what the command does, and one line per option. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]): [string, string] => [
    `${o.short ? `-${o.short}, ` : ''}${optionText(`--${name}`, o)}`,
    o.help,
  ]);
  if (spec.params) rows.push(['--PARAM VALUE', `a parameter of the flow (flowspec run FILE --help lists them)`]);
  const about = [spec.summary, ...(spec.details ? [spec.details] : [])].map(plainText);
  return [usage(spec), '', ...about, ...(rows.length ? ['', 'options:', ...columns(rows)] : []), ''].join('\n');
}

/** Rows of two columns, the second aligned. */
export function columns(rows: Array<[string, string]>, indent = '  '): string[] {
  const width = Math.min(32, Math.max(...rows.map(([left]) => left.length)) + 2);
  return rows.map(
    ([left, right]) => `${indent}${left.padEnd(width)}${left.length >= width ? `\n${indent}${' '.repeat(width)}` : ''}${right}`,
  );
}

/** Markdown's backticks and links as a terminal shows them. */
function plainText(markdown: string): string {
  return markdown.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`([^`]+)`/g, '$1');
}

/** A group's commands or the command itself. */
export function leaves(command: Command | CommandGroup): Command[] {
  return 'subcommands' in command ? command.subcommands : [command];
}

/**
 * Runs a command with the arguments after its name: a group picks its subcommand; `--help` (or
 * `-h`) shows the command's help, unless the command declares `help` itself (`run FILE --help`).
 */
export async function runCommand(command: Command | CommandGroup, argv: string[]): Promise<number> {
  if ('subcommands' in command) {
    const [name, ...rest] = argv;
    const names = command.subcommands.map((c) => c.spec.name.slice(command.name.length + 1));
    const which = `${names.length > 1 ? `${names.slice(0, -1).join(', ')} or ` : ''}${names.at(-1)} (flowspec ${command.name} --help shows them)`;
    if (name === '--help' || name === '-h') {
      process.stdout.write(groupHelp(command));
      return 0;
    }
    if (name === undefined) throw new UserError(`${command.name} needs a command: ${which}`);
    const sub = command.subcommands[names.indexOf(name)];
    if (!sub) throw new UserError(`unknown ${command.name} command '${printable(name.slice(0, 60))}': ${which}`);
    return runCommand(sub, rest);
  }
  if (wantsHelp(argv) && !('help' in command.spec.options)) {
    process.stdout.write(helpText(command.spec));
    return 0;
  }
  return command.main(argv);
}

/** `--help` or `-h` before any `--`. */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

function groupHelp(group: CommandGroup): string {
  const lines = group.subcommands.map((c, i) => `${i ? '      ' : 'usage:'} ${synopsis(c.spec)}`);
  const rows = group.subcommands.map((c): [string, string] => [c.spec.name, plainText(c.spec.summary)]);
  return [
    ...lines,
    '',
    plainText(group.summary),
    '',
    ...columns(rows),
    '',
    `flowspec ${group.name} COMMAND --help shows a command's options.`,
    '',
  ].join('\n');
}

/** `flowspec --help`: every command a user runs, with its positionals and summary. */
export function overview(commands: Array<Command | CommandGroup>): string {
  const rows = commands
    .flatMap(leaves)
    .filter((c) => !c.spec.internal)
    .map((c): [string, string] => [[c.spec.name, c.spec.positionals].filter(Boolean).join(' '), plainText(c.spec.summary)]);
  return [
    'usage: flowspec <command> [options]',
    '',
    'commands:',
    ...columns(rows),
    '',
    "flowspec <command> --help shows a command's options; flowspec --version the version.",
    '',
  ].join('\n');
}
