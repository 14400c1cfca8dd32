// The values of a run's configs (`Config` fields), read once when the run starts: `--config NAME
// FILE` > `--config-value NAME JSON` > a params file's `NAME: { config: FILE }` or
// `NAME: { configValue: ... }` > the declared default file > `defaultValue`. A file that does not parse is one line naming the file, the line
// and the key nearest the error.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configTextErrorLine, parseConfigText } from '../../model/configText';
import { UserError } from '../errors';
import { ConfigDeclaration, ConfigParser, deepFreeze } from '../flow/config';
import type { FlowInfo } from '../flowcode/introspect';
import type { ParamsFileConfigs } from './paramsFile';

export interface ResolvedConfig {
  field: string;
  decl: ConfigDeclaration;
  value: unknown;
  /** 'default config.json', '--config prod.json', '--config-value'... */
  source: string;
}

/** What the command line gives: a file or a JSON text per config name; and a params file's config entries. */
export interface GivenConfigs {
  files: Map<string, string>;
  values: Map<string, string>;
  paramsFile?: ParamsFileConfigs;
}

async function parseText(text: string, parser: ConfigParser, what: string): Promise<unknown> {
  if (parser === 'json' || parser === 'yaml') {
    const parsed = parseConfigText(text, parser);
    if (!parsed.ok) throw new UserError(configTextErrorLine(what, parsed.error));
    return parsed.value;
  }
  try {
    return await parser(text);
  } catch (e) {
    throw new UserError(`${what}: the config's parser failed: ${(e as Error).message.split('\n')[0]}`);
  }
}

async function readConfigFile(file: string, decl: ConfigDeclaration, full: string): Promise<unknown> {
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    throw new UserError(`config '${decl.name}': cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseText(text, decl.parser, `config '${decl.name}' (${file})`);
}

/** Where a run reads a config's default file: from where the run starts, else next to the flow file. */
export function defaultConfigPath(file: string, cwd: string, flowFile: string | undefined): string {
  const fromCwd = resolve(cwd, file);
  if (existsSync(fromCwd) || flowFile === undefined) return fromCwd;
  const nextToFlow = resolve(dirname(flowFile), file);
  return existsSync(nextToFlow) ? nextToFlow : fromCwd;
}

/** Where the run starts (`cwd`) and the flow file (a default config file may sit next to it). */
export interface ConfigPlaces {
  cwd?: string;
  flowFile?: string;
}

export async function resolveConfigs(flow: FlowInfo, given: GivenConfigs, places: ConfigPlaces = {}): Promise<ResolvedConfig[]> {
  const cwd = places.cwd ?? process.cwd();
  const fromParams = given.paramsFile;
  const known = new Set(flow.configs.map((c) => c.decl.name));
  const unknown = (name: string, where: string) =>
    new UserError(
      `${where}${flow.name} has no config '${name}'${known.size ? ` (configs: ${[...known].join(', ')})` : ' (it declares no Config)'}`,
    );
  for (const name of [...given.files.keys(), ...given.values.keys()]) if (!known.has(name)) throw unknown(name, '');
  for (const name of [...(fromParams?.files.keys() ?? []), ...(fromParams?.values.keys() ?? [])])
    if (!known.has(name)) throw unknown(name, `params file ${fromParams!.path}: `);
  const out: ResolvedConfig[] = [];
  for (const { field, decl } of flow.configs) {
    const file = given.files.get(decl.name);
    const text = given.values.get(decl.name);
    const paramsFile = fromParams?.files.get(decl.name);
    let value: unknown;
    let source: string;
    if (file !== undefined) {
      value = await readConfigFile(file, decl, resolve(cwd, file));
      source = `--config ${file}`;
    } else if (text !== undefined) {
      value = await parseText(text, 'json', `--config-value ${decl.name}`);
      source = '--config-value';
    } else if (paramsFile !== undefined) {
      value = await readConfigFile(paramsFile, decl, resolve(dirname(fromParams!.path), paramsFile));
      source = `params file ${fromParams!.path}: ${paramsFile}`;
    } else if (fromParams?.values.has(decl.name)) {
      value = structuredClone(fromParams.values.get(decl.name));
      source = `params file ${fromParams.path}`;
    } else if (decl.default !== undefined) {
      value = await readConfigFile(decl.default, decl, defaultConfigPath(decl.default, cwd, places.flowFile));
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
