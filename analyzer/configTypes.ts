// The types of a flow file's configs, read from their default files, for its generated declarations
// (artifactTypes.ts): `cfg = Config('cfg', { default: 'config.json' })` with no annotation is typed
// as the file's value (`{ cpu: number; model: { lr: number; name: string } }`) through the global
// FlowSpecConfigTypes that `Config`'s return type looks in (runtime/flow/config.ts). Also the header
// lines naming each file looked at and its text, so that an edited config file makes the
// declarations stale.
import * as path from 'node:path';
import { fileSha1, inputHashLine } from '../model/artifactTypesFiles';
import type { FlowModel } from '../model/flowModel';
import { defaultConfigFile, defaultConfigPaths } from './configFiles';

/** The global interface the generated declarations fill, as `Config` names it. */
export const CONFIG_TYPES_INTERFACE = 'FlowSpecConfigTypes';

export interface ConfigTypes {
  /** Header lines: each place a default file was looked for, with its text's hash (or `none`). */
  header: string;
  /** The global declarations of the typed configs, '' when there is none. */
  declarations: string;
}

/** Deepest nesting typed: deeper values are `any`. */
const MAX_DEPTH = 12;
/** Longest type written for one config: a larger file leaves its config untyped (`any`). */
const MAX_TYPE_CHARS = 20_000;

/**
 * The config types of `flows` (of the flow file `flowFile`), for a generated file of the project
 * folder `root`. `dropped` names the members a previous round found in error
 * (`FlowSpecConfigTypes.<key as written>`): they are left out.
 */
export function configTypes(flowFile: string, flows: FlowModel[], root: string, dropped: ReadonlySet<string>): ConfigTypes {
  const header = new Set<string>();
  const members = new Map<string, string>();
  for (const flow of flows) {
    for (const config of flow.configs ?? []) {
      const paths = defaultConfigPaths(flowFile, config);
      if (!paths || config.defaultFile === undefined) continue;
      const found = defaultConfigFile(flowFile, config);
      const looked = found.state === 'parsed' || found.state === 'invalid' ? paths.slice(0, paths.indexOf(found.path) + 1) : paths;
      for (const p of looked) header.add(inputHashLine(path.relative(root, p), fileSha1(p)));
      if (found.state !== 'parsed' || config.computedName) continue;
      const sha1 = fileSha1(found.path);
      const type = configValueType(found.value);
      if (!sha1 || type === undefined) continue;
      const key = JSON.stringify(`${config.name}\u0000${config.defaultFile}\u0000${sha1.slice(0, 16)}`);
      if (!dropped.has(`${CONFIG_TYPES_INTERFACE}.${key.slice(1, -1)}`)) members.set(key, type);
    }
  }
  const lines = [...members].map(([key, type]) => `    ${key}: ${type};`);
  const declarations = lines.length ? `\ndeclare global {\n  interface ${CONFIG_TYPES_INTERFACE} {\n${lines.join('\n')}\n  }\n}\n` : '';
  return { header: [...header].join(''), declarations };
}

/**
 * The TypeScript type of a config's value as JSON or YAML gives it: widened (`4` → number), arrays
 * as `T[]` (the union of their elements' types, objects merged into one whose keys some lack are
 * optional), an empty array `any[]`, an empty object an index signature of `any`. Undefined when it
 * is not worth a type: `null` (an empty YAML file) or a type longer than MAX_TYPE_CHARS.
 */
export function configValueType(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = unionType([value], 0);
  return text.length > MAX_TYPE_CHARS ? undefined : text;
}

/** The type of any of `values`: one member per kind (primitives, one merged array, one merged object). */
function unionType(values: unknown[], depth: number): string {
  return unionParts(values, depth).join(' | ');
}

/** The members of unionType's union. */
function unionParts(values: unknown[], depth: number): string[] {
  if (depth > MAX_DEPTH) return ['any'];
  const parts: string[] = [];
  const add = (part: string) => {
    if (!parts.includes(part)) parts.push(part);
  };
  const arrays: unknown[][] = [];
  const objects: Record<string, unknown>[] = [];
  for (const v of values) {
    if (v === null) add('null');
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') add(typeof v);
    else if (Array.isArray(v)) arrays.push(v);
    else if (isPlainObject(v)) objects.push(v);
    else return ['any'];
  }
  if (arrays.length) {
    const elements = arrays.flat();
    const element = elements.length ? unionParts(elements, depth + 1) : ['any'];
    add(element.length > 1 ? `(${element.join(' | ')})[]` : `${element[0]}[]`);
  }
  if (objects.length) add(objectType(objects, depth));
  return parts.includes('any') ? ['any'] : parts;
}

/** One object type for `objects`: each key typed by its values, optional where some object lacks it. */
function objectType(objects: Record<string, unknown>[], depth: number): string {
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  if (keys.length === 0) return '{ [key: string]: any }';
  const members = keys.map((key) => {
    const holders = objects.filter((o) => Object.prototype.hasOwnProperty.call(o, key));
    const optional = holders.length < objects.length ? '?' : '';
    return `${propertyName(key)}${optional}: ${unionType(
      holders.map((o) => o[key]),
      depth + 1,
    )}`;
  });
  return `{ ${members.join('; ')} }`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}
