// `--params PFILE`: parameter values from a YAML or JSON file, in the manner of Polyaxon's params.
// Every entry is checked and every ref resolved before the run is created, so a bad file fails
// with one line naming the parameter and nothing runs.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { loadProjectConfig } from '../config';
import type { Datastore } from '../datastore';
import type { InitCopy } from '../datastore/records';
import { UserError } from '../errors';
import type { FlowInfo } from '../flowcode/introspect';
import type { GivenValue } from '../flowcode/parameterValues';
import { ParamsEntry, parseParamsDocument, positionAt } from './document';
import { RefError, resolveRef } from './refs';

export interface ParamsFileValues {
  /** Values of declared parameters (typed; checked against the type when resolved). */
  values: Map<string, GivenValue>;
  /** contextOnly entries, readable as current.context.<name>. */
  context: Record<string, unknown>;
  /** Parameter name → environment variable it is exported as. */
  toEnv: Map<string, string>;
  /** Files and folders copied into each task's working folder. */
  init: InitCopy[];
}

/** A params file's config entries: a file (relative to the params file) or a value per config name. */
export interface ParamsFileConfigs {
  path: string;
  files: Map<string, string>;
  values: Map<string, unknown>;
}

/** The params file's entries; a file that cannot be read or has a problem is one line. */
function readParamsFile(path: string, flow: FlowInfo): ParamsEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? `no such params file: ${path}`
        : `cannot read params file ${path}: ${(e as Error).message}`,
    );
  }
  const doc = parseParamsDocument(text);
  if (doc.problems.length) {
    const p = doc.problems[0];
    const at = positionAt(text, p.range[0]);
    throw new UserError(`${path}:${at.line + 1}:${at.character + 1}: ${p.message}`);
  }
  // `# flowspec: flow.ts FlowName` / `"$flow": "flow.ts#FlowName"`: the file is for that flow only.
  if (doc.target?.name && doc.target.name !== flow.name) {
    throw new UserError(`params file ${path} is for ${doc.target.name}, not ${flow.name}`);
  }
  return doc.entries;
}

const isConfigEntry = (entry: ParamsEntry) => entry.config !== undefined || 'configValue' in entry;

/** The config entries of a params file, read before the run's configs (which decorators and defaults need). */
export function loadParamsFileConfigs(path: string, flow: FlowInfo): ParamsFileConfigs {
  const out: ParamsFileConfigs = { path, files: new Map(), values: new Map() };
  for (const entry of readParamsFile(path, flow).filter(isConfigEntry)) {
    if (entry.config !== undefined) out.files.set(entry.name, entry.config);
    else out.values.set(entry.name, entry.configValue);
  }
  return out;
}

export async function loadParamsFile(path: string, flow: FlowInfo, datastore: Datastore): Promise<ParamsFileValues> {
  const entries = readParamsFile(path, flow).filter((e) => !isConfigEntry(e));
  const out: ParamsFileValues = { values: new Map(), context: {}, toEnv: new Map(), init: [] };
  const declared = new Set(flow.parameters.map((p) => p.decl.name));
  for (const entry of entries) {
    const fail = (message: string): never => {
      throw new UserError(`params file ${path}: parameter '${entry.name}': ${message}`);
    };
    if (entry.toInit) {
      out.init.push(initCopy(entry, dirname(resolve(path)), fail));
      continue;
    }
    if (!entry.contextOnly && !declared.has(entry.name)) {
      fail(
        `not a parameter of ${flow.name} (parameters: ${[...declared].join(', ') || 'none'}; use contextOnly: true to pass other values)`,
      );
    }
    let given: GivenValue;
    if (entry.ref) {
      try {
        const r = resolveRef(entry.ref, String(entry.value), flow.name, datastore);
        given = { value: r.value, typed: true, source: `ref ${r.task}.${r.artifact}`, ref: { task: r.task, artifact: r.artifact } };
      } catch (e) {
        if (e instanceof RefError) fail(e.message);
        throw e;
      }
    } else {
      given = { value: entry.value, typed: true, source: `params file ${path}` };
    }
    if (entry.contextOnly) out.context[entry.name] = given!.value;
    else out.values.set(entry.name, given!);
    if (entry.toEnv) out.toEnv.set(entry.name, entry.toEnv);
  }
  return out;
}

/** The project a params file belongs to: the folder of flowspec.config.json, else of package.json, else its own. */
function projectRoot(paramsDir: string): string {
  const configured = loadProjectConfig(paramsDir)?.dir;
  if (configured) return configured;
  for (let dir = paramsDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return paramsDir;
  }
}

const inside = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The copies of a `toInit` entry. Only paths inside the project (or inside the entry's declared
 * connection) may be copied, symbolic links resolved; each lands at its path relative to the
 * params file (or the connection, or the project) inside the task's working folder.
 */
function initCopy(entry: ParamsEntry, paramsDir: string, fail: (m: string) => never): InitCopy {
  let base = paramsDir;
  if (entry.connection) {
    const loaded = loadProjectConfig();
    const connection = loaded?.config.connections?.[entry.connection];
    if (!connection) fail(`no connection '${entry.connection}' in ${loaded ? loaded.file : 'flowspec.config.json (none found)'}`);
    base = resolve(loaded!.dir, connection!.path);
  }
  const allowedRoot = entry.connection ? base : projectRoot(paramsDir);
  const root = existsSync(allowedRoot) ? realpathSync(allowedRoot) : allowedRoot;
  const where = entry.connection ? `connection '${entry.connection}' (${allowedRoot})` : `the project (${allowedRoot})`;
  const value = entry.value as { files?: string[]; dirs?: string[] };
  const paths = (list: string[] | undefined, kind: 'file' | 'dir') =>
    (list ?? []).map((p) => {
      const given = isAbsolute(p) ? p : resolve(base, p);
      if (!existsSync(given) || statSync(given).isDirectory() !== (kind === 'dir'))
        fail(
          `${kind === 'dir' ? 'folder' : 'file'} '${p}' does not exist${entry.connection ? ` in connection '${entry.connection}'` : ''}`,
        );
      const source = realpathSync(given);
      if (!inside(root, source)) fail(`'${p}' is outside ${where}: only paths inside it can be copied into a task's folder`);
      const fromBase = relative(existsSync(base) ? realpathSync(base) : base, source);
      const target = fromBase && !fromBase.startsWith('..') && !isAbsolute(fromBase) ? fromBase : relative(root, source);
      return { source, target: target || basename(source) };
    });
  return { name: entry.name, files: paths(value.files, 'file'), dirs: paths(value.dirs, 'dir') };
}
