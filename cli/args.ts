// Command-line parsing on top of node:util's parseArgs. Commands that take flow parameters as
// `--NAME VALUE` use `extras`: every option the command does not declare, with its value.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../runtime/errors';
import type { OptionSpecs } from './command';

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Undeclared options in order: `--alpha 0.1`, `--alpha=0.1`, or a bare `--flag` (value true). */
  extras: Array<{ name: string; value: string | true }>;
}

/** Parses `argv` with a command's options (cli/command.ts parses with its declaration). */
export function parseCommandLine(argv: string[], options: OptionSpecs, allowExtras = false): Parsed {
  // An option with a bare value is a boolean to parseArgs, so that it never takes the next argument.
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      {
        type: o.bare === undefined ? o.type : 'boolean',
        ...(o.multiple ? { multiple: true } : {}),
        ...(o.short ? { short: o.short } : {}),
      },
    ]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: false, tokens: true });
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  const values: Parsed['values'] = {};
  const positionals: string[] = [];
  const extras: Parsed['extras'] = [];
  const tokens = parsed.tokens!;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind === 'option-terminator') continue;
    const declared = options[t.name];
    if (declared) {
      let value: string | boolean | undefined = t.value;
      if (declared.bare !== undefined) value ??= declared.bare;
      else if (declared.type === 'string' && value === undefined) {
        const following = tokens[i + 1];
        if (following?.kind !== 'positional') throw new UserError(`option --${t.name} needs a value`);
        value = following.value;
        i++;
      }
      if (declared.type === 'boolean') value = true;
      if (declared.multiple) values[t.name] = [...((values[t.name] as string[]) ?? []), String(value)];
      else values[t.name] = value;
      continue;
    }
    if (!allowExtras) throw new UserError(`unknown option ${t.rawName}`);
    if (t.value !== undefined) {
      extras.push({ name: t.name, value: t.value });
      continue;
    }
    const following = tokens[i + 1];
    if (following?.kind === 'positional') {
      extras.push({ name: t.name, value: following.value });
      i++;
    } else if (following?.kind === 'option' && /^-\d/.test(following.rawName)) {
      // A negative number (`--offset -3`) parses as a short option: take it as the value.
      extras.push({ name: t.name, value: following.rawName + (following.value ?? '') });
      i++;
    } else {
      extras.push({ name: t.name, value: true });
    }
  }
  return { values, positionals, extras };
}

/** An option's whole number (`--split-index 3`), or undefined when absent; anything else is refused. */
export function wholeNumber(option: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UserError(`${option} needs a whole number of at least 0, not '${String(value)}'`);
  return n;
}

/** Refuses, before anything is created, an output file that could not be written (`--run-id-file`). */
export function checkOutputFile(option: string, file: string): void {
  let folder;
  try {
    folder = statSync(dirname(resolve(file)));
  } catch {
    throw new UserError(`${option} ${file}: the folder ${dirname(file)} does not exist; create it or name a file in an existing folder`);
  }
  if (!folder.isDirectory()) throw new UserError(`${option} ${file}: ${dirname(file)} is not a folder`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UserError(`${option} ${file} is a folder`);
}
