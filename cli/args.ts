// Command-line parsing on top of node:util's parseArgs. Commands that take flow parameters as
// `--NAME VALUE` use `extras`: every option the command does not declare, with its value.
import { parseArgs, ParseArgsConfig } from 'node:util';
import { UserError } from '../runtime/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Undeclared options in order: `--alpha 0.1`, `--alpha=0.1`, or a bare `--flag` (value true). */
  extras: Array<{ name: string; value: string | true }>;
}

export function parseCommandLine(argv: string[], options: Options, allowExtras = false): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  const values: Parsed['values'] = {};
  const positionals: string[] = [];
  const extras: Parsed['extras'] = [];
  const tokens = parsed.tokens!;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'positional') { positionals.push(t.value); continue; }
    if (t.kind === 'option-terminator') continue;
    const declared = options[t.name];
    if (declared) {
      let value: string | boolean | undefined = t.value;
      if (declared.type === 'string' && value === undefined) {
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
    if (t.value !== undefined) { extras.push({ name: t.name, value: t.value }); continue; }
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
