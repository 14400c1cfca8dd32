// Reading a params file (YAML or JSON): its entries with their source ranges, and every problem
// that can be seen without running anything. Pure: the CLI and the language server share it.
import { isMap, isScalar, parseDocument } from 'yaml';
import { parseRunRef, RUN_REF_FORMS } from '../../model/runRef';

export type EntryRange = [start: number, end: number];

export interface ParamsEntry {
  name: string;
  /** Offsets of the entry's key in the text. */
  keyRange: EntryRange;
  /** Offsets of the whole entry value. */
  range: EntryRange;
  /** Offsets of each field's value (`value`, `ref`, ...), for precise messages. */
  fieldRanges: Record<string, EntryRange>;
  value?: unknown;
  ref?: string;
  toEnv?: string;
  contextOnly?: boolean;
  toInit?: boolean;
  connection?: string;
  /** `config: FILE`: the file of the flow's config of this name (relative to the params file). */
  config?: string;
  /** `configValue: ...`: the value of the flow's config of this name. */
  configValue?: unknown;
}

export interface ParamsProblem {
  message: string;
  range: EntryRange;
  /** The entry the problem is about. */
  name?: string;
  /** A YAML/JSON syntax error (the file has no entries then). */
  syntax?: true;
}

/**
 * The flow a params file is for, when it says so: a first line `# flowspec: <path> [FlowName]`
 * (YAML) or a top-level `"$flow": "<path>[#FlowName]"` (JSON has no comments). The path is
 * relative to the params file. The runtime refuses the file for another flow than `name`.
 */
export interface ParamsTarget {
  path: string;
  name?: string;
  range: EntryRange;
}

export interface ParamsDocument {
  entries: ParamsEntry[];
  problems: ParamsProblem[];
  target?: ParamsTarget;
}

/** `params*.yaml|yml|json` or `*.params.yaml|yml|json`: a params file by its name. */
export function isParamsFileName(name: string): boolean {
  return /^params[^/\\]*\.(ya?ml|json)$/i.test(name) || /\.params\.(ya?ml|json)$/i.test(name);
}

const HEADER = /^(\uFEFF?#\s*flowspec:\s*)(\S+?)(?:(?:\s+|#)([A-Za-z_$][\w$]*))?\s*$/;
const TARGET = /^([^#]+?)(?:#([A-Za-z_$][\w$]*))?$/;

/** `# flowspec: <path> [FlowName]` on the first line (`path#FlowName` works too). */
export function headerTarget(text: string): ParamsTarget | undefined {
  const firstLine = /^[^\r\n]*/.exec(text)![0];
  const m = HEADER.exec(firstLine);
  if (!m) return undefined;
  const start = m[1].length;
  return { path: m[2], ...(m[3] ? { name: m[3] } : {}), range: [start, firstLine.trimEnd().length] };
}

const KEYS = new Set(['value', 'ref', 'toEnv', 'contextOnly', 'toInit', 'connection', 'config', 'configValue', 'description']);
/** What a config entry (`config: FILE` or `configValue: ...`) may hold besides. */
const CONFIG_KEYS = new Set(['config', 'configValue', 'description']);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseParamsDocument(text: string): ParamsDocument {
  const doc = parseDocument(text, { prettyErrors: false });
  const problems: ParamsProblem[] = doc.errors.map((e) => ({
    message: e.message.split('\n')[0],
    range: [e.pos[0], e.pos[1]] as EntryRange,
  }));
  for (const p of problems) p.syntax = true;
  const entries: ParamsEntry[] = [];
  const header = headerTarget(text);
  const result: ParamsDocument = { entries, problems, ...(header ? { target: header } : {}) };
  if (problems.length) return result;
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return result;
  if (!isMap(root))
    return { ...result, problems: [{ message: 'a params file is a mapping of parameter names to entries', range: rangeOf(root) }] };
  for (const pair of root.items) {
    const key = pair.key;
    const name = isScalar(key) ? String(key.value) : String(key);
    const keyRange = rangeOf(key);
    const node = pair.value;
    if (name === '$flow') {
      const m = isScalar(node) && typeof node.value === 'string' ? TARGET.exec(node.value.trim()) : null;
      if (!m)
        problems.push({
          name,
          range: node ? rangeOf(node) : keyRange,
          message: "$flow names the flow this file is for: '<path/to/flow.ts>#<FlowName>'",
        });
      else result.target = { path: m[1], ...(m[2] ? { name: m[2] } : {}), range: rangeOf(node) };
      continue;
    }
    const range = node ? rangeOf(node) : keyRange;
    if (!isMap(node)) {
      problems.push({
        name,
        range,
        message: `entry '${name}' must be a mapping such as { value: ... } or { ref: runs.latest, value: outputs.NAME }`,
      });
      continue;
    }
    const fields = node.toJSON() as Record<string, unknown>;
    const entry: ParamsEntry = { name, keyRange, range, fieldRanges: {} };
    for (const item of node.items) {
      const field = isScalar(item.key) ? String(item.key.value) : String(item.key);
      entry.fieldRanges[field] = item.value ? rangeOf(item.value) : rangeOf(item.key);
      if (!KEYS.has(field))
        problems.push({
          name,
          range: rangeOf(item.key),
          message: `entry '${name}': unknown key '${field}' (keys: ${[...KEYS].join(', ')})`,
        });
    }
    const at = (field: string): EntryRange => entry.fieldRanges[field] ?? range;
    if ('config' in fields || 'configValue' in fields) {
      readConfigEntry(entry, fields, at, problems);
      entries.push(entry);
      continue;
    }
    if ('value' in fields) entry.value = fields.value;
    if (fields.ref !== undefined) {
      if (typeof fields.ref !== 'string' || !parseRunRef(fields.ref)) {
        problems.push({
          name,
          range: at('ref'),
          message: `entry '${name}': ref must be ${RUN_REF_FORMS}`,
        });
      } else entry.ref = fields.ref;
      if (typeof fields.value !== 'string')
        problems.push({ name, range: at('value'), message: `entry '${name}': a ref needs value: outputs.<artifact> or <step>.<artifact>` });
    }
    if (fields.toEnv !== undefined) {
      if (typeof fields.toEnv !== 'string' || !ENV_NAME.test(fields.toEnv))
        problems.push({ name, range: at('toEnv'), message: `entry '${name}': toEnv must be an environment variable name` });
      else entry.toEnv = fields.toEnv;
    }
    for (const flag of ['contextOnly', 'toInit'] as const) {
      if (fields[flag] !== undefined) {
        if (typeof fields[flag] !== 'boolean')
          problems.push({ name, range: at(flag), message: `entry '${name}': ${flag} must be true or false` });
        else entry[flag] = fields[flag] as boolean;
      }
    }
    if (fields.connection !== undefined) {
      if (typeof fields.connection !== 'string')
        problems.push({ name, range: at('connection'), message: `entry '${name}': connection must be a name` });
      else if (!entry.toInit)
        problems.push({ name, range: at('connection'), message: `entry '${name}': connection goes with toInit: true` });
      else entry.connection = fields.connection;
    }
    if (entry.toInit) {
      const v = fields.value as { files?: unknown; dirs?: unknown } | undefined;
      const okList = (x: unknown) => x === undefined || (Array.isArray(x) && x.every((p) => typeof p === 'string'));
      if (!v || typeof v !== 'object' || !okList(v.files) || !okList(v.dirs))
        problems.push({ name, range: at('value'), message: `entry '${name}': toInit needs value: { files: [paths], dirs: [paths] }` });
    } else if (!('value' in fields)) {
      problems.push({ name, range, message: `entry '${name}' needs a value` });
    }
    entries.push(entry);
  }
  return result;
}

/** A config entry: `NAME: { config: FILE }` or `NAME: { configValue: VALUE }`, nothing else. */
function readConfigEntry(
  entry: ParamsEntry,
  fields: Record<string, unknown>,
  at: (field: string) => EntryRange,
  problems: ParamsProblem[],
): void {
  const name = entry.name;
  const others = Object.keys(fields).filter((k) => !CONFIG_KEYS.has(k));
  for (const other of others)
    problems.push({
      name,
      range: at(other),
      message: `entry '${name}': a config entry takes config: FILE or configValue: VALUE, not ${other}`,
    });
  if ('config' in fields && 'configValue' in fields)
    problems.push({ name, range: at('configValue'), message: `entry '${name}': give config: FILE or configValue: VALUE, not both` });
  else if ('configValue' in fields) entry.configValue = fields.configValue;
  else if (typeof fields.config !== 'string' || fields.config.trim() === '')
    problems.push({ name, range: at('config'), message: `entry '${name}': config names a file (JSON, or the config's parser)` });
  else entry.config = fields.config;
}

function rangeOf(node: unknown): EntryRange {
  const r = (node as { range?: [number, number, number] })?.range;
  return r ? [r[0], r[1]] : [0, 0];
}

/** 0-based line and character of an offset, for messages and diagnostics. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
