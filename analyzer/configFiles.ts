// A flow's default config files as the analyzer sees them: looked for where a run started in the
// project would read them (a run reads `default` from where it starts, else next to the flow
// file), read and parsed with the runtime's parser. Cached by path, size and modification time:
// the language server analyzes on every keystroke.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ConfigModel } from '../model/flowModel';
import { ConfigTextError, ConfigTextResult, parseConfigText } from '../model/configText';

export type DefaultConfigFile =
  /** No default file, a parser of the flow's own, or a flow file that is not on disk: nothing to check. */
  | { state: 'unchecked' }
  | { state: 'missing'; folders: string[] }
  | { state: 'invalid'; path: string; error: ConfigTextError }
  | { state: 'parsed'; path: string; value: unknown };

/**
 * The folders a run of the flow may start from, in the order the analyzer looks in them: the project
 * root (the nearest folder above the flow with package.json or flowspec.config.json: where the
 * editor and npm scripts start runs), each folder below it, and last the flow file's own (the
 * runtime's fallback).
 */
function runFolders(flowFile: string): string[] {
  const folders: string[] = [];
  for (let dir = dirname(resolve(flowFile)); ; dir = dirname(dir)) {
    folders.push(dir);
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'flowspec.config.json')) || dirname(dir) === dir)
      return folders.reverse();
  }
}

const parsedFiles = new Map<string, { stamp: string; result: ConfigTextResult }>();

/** A config file parsed (cached by size and modification time); undefined when there is no such file. */
export function parseConfigFile(path: string, format: 'json' | 'yaml'): ConfigTextResult | undefined {
  let stamp: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) return undefined;
    stamp = `${format} ${st.size} ${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  const cached = parsedFiles.get(path);
  if (cached?.stamp === stamp) return cached.result;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const result = parseConfigText(text, format);
  parsedFiles.set(path, { stamp, result });
  return result;
}

/**
 * The paths where a run may find the config's default file, in the order it looks (the first that
 * exists is the one): undefined when the analyzer does not read it (no default file, a parser of
 * the flow's own, a flow file that is not on disk).
 */
export function defaultConfigPaths(flowFile: string, config: ConfigModel): string[] | undefined {
  const file = config.defaultFile;
  if (file === undefined || config.format === 'custom' || !existsSync(dirname(resolve(flowFile)))) return undefined;
  return isAbsolute(file) ? [file] : runFolders(flowFile).map((folder) => resolve(folder, file));
}

/** The config's default file, found and parsed (the first of the run folders holding it). */
export function defaultConfigFile(flowFile: string, config: ConfigModel): DefaultConfigFile {
  const paths = defaultConfigPaths(flowFile, config);
  if (!paths || config.format === 'custom') return { state: 'unchecked' };
  for (const path of paths) {
    const result = parseConfigFile(path, config.format);
    if (!result) continue;
    return result.ok ? { state: 'parsed', path, value: result.value } : { state: 'invalid', path, error: result.error };
  }
  return { state: 'missing', folders: paths.map(dirname) };
}
