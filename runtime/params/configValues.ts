// The values of a run's configs (`Config` fields), read once when the run starts: `--config NAME
// FILE` > `--config-value NAME JSON` > a params file's `NAME: { config: FILE }` > the declared
// default file > `defaultValue`. A file that does not parse is one line naming the file, the line
// and the key nearest the error.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors';
import { ConfigDeclaration, ConfigParser, deepFreeze } from '../flow/config';
import type { FlowInfo } from '../flowcode/introspect';

export interface ResolvedConfig {
  field: string;
  decl: ConfigDeclaration;
  value: unknown;
  /** 'default config.json', '--config prod.json', '--config-value'... */
  source: string;
}

/** What the command line (or a params file) gives: a file or a JSON text per config name. */
export interface GivenConfigs {
  files: Map<string, string>;
  values: Map<string, string>;
}

/** The line (1-based) of a character offset. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** The last `"key":` before an offset: where a JSON error sits. */
function keyBefore(text: string, offset: number): string | undefined {
  const keys = [...text.slice(0, offset).matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)];
  return keys.length ? keys[keys.length - 1][1] : undefined;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
    const at = /position (\d+)/.exec((e as Error).message);
    if (!at) throw new UserError(`${what}: not JSON (${message})`);
    const offset = Number(at[1]);
    const key = keyBefore(text, offset);
    throw new UserError(`${what}, line ${lineOf(text, offset)}${key !== undefined ? ` (after key '${key}')` : ''}: not JSON (${message})`);
  }
}

async function parseText(text: string, parser: ConfigParser, what: string): Promise<unknown> {
  if (parser === 'json') return parseJson(text, what);
  if (parser === 'yaml') {
    const YAML = await import('yaml');
    try {
      return YAML.parse(text);
    } catch (e) {
      const pos = (e as { linePos?: Array<{ line: number }> }).linePos?.[0];
      const first = (e as Error).message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new UserError(`${what}${pos ? `, line ${pos.line}` : ''}: not YAML (${first})`);
    }
  }
  try {
    return await parser(text);
  } catch (e) {
    throw new UserError(`${what}: the config's parser failed: ${(e as Error).message.split('\n')[0]}`);
  }
}

async function readConfigFile(file: string, decl: ConfigDeclaration, cwd: string): Promise<unknown> {
  const full = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    throw new UserError(`config '${decl.name}': cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseText(text, decl.parser, `config '${decl.name}' (${file})`);
}

export async function resolveConfigs(flow: FlowInfo, given: GivenConfigs, cwd = process.cwd()): Promise<ResolvedConfig[]> {
  const known = new Set(flow.configs.map((c) => c.decl.name));
  for (const name of [...given.files.keys(), ...given.values.keys()])
    if (!known.has(name))
      throw new UserError(
        `${flow.name} has no config '${name}'${known.size ? ` (configs: ${[...known].join(', ')})` : ' (it declares no Config)'}`,
      );
  const out: ResolvedConfig[] = [];
  for (const { field, decl } of flow.configs) {
    const file = given.files.get(decl.name);
    const text = given.values.get(decl.name);
    let value: unknown;
    let source: string;
    if (file !== undefined) {
      value = await readConfigFile(file, decl, cwd);
      source = `--config ${file}`;
    } else if (text !== undefined) {
      value = parseJson(text, `--config-value ${decl.name}`);
      source = '--config-value';
    } else if (decl.default !== undefined) {
      value = await readConfigFile(decl.default, decl, cwd);
      source = `default ${decl.default}`;
    } else if (decl.defaultValue !== undefined) {
      value = structuredClone(decl.defaultValue);
      source = 'defaultValue';
    } else {
      if (decl.required) throw new UserError(`config '${decl.name}' of ${flow.name} is required: give --config ${decl.name} FILE`);
      value = null;
      source = 'none';
    }
    out.push({ field, decl, value: deepFreeze(value), source });
  }
  return out;
}
