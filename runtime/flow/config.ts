// Metaflow's `Config` and `config_expr`: settings that shape the flow itself, read once when a run
// starts (a JSON file by default; YAML or a parser of your own), frozen, stored with the run, and
// readable in every step as `this.cfg.key`. `configExpr('cfg.key')` stands for a value of a config
// where a plain value is not known when the class is defined: decorator options and a parameter's
// default; the runtime replaces it once the run's configs are read.
import { configValueAtKeys, splitConfigPath } from '../../model/configPath';

const CONFIG = Symbol.for('flowspec.config');
const CONFIG_EXPR = Symbol.for('flowspec.configExpr');

/** How a config file's text becomes its value: JSON (default), YAML, or a function of yours. */
export type ConfigParser = 'json' | 'yaml' | ((text: string) => unknown);

export interface ConfigOptions {
  /** A file read when the run starts (relative to where the run is started, else to the flow file), unless `--config NAME FILE` names another. */
  default?: string;
  /** The value when no file is given or named by `default`. */
  defaultValue?: unknown;
  parser?: ConfigParser;
  /** A run without a value for it is refused. */
  required?: boolean;
  help?: string;
}

export interface ConfigDeclaration {
  [CONFIG]: true;
  name: string;
  default?: string;
  defaultValue?: unknown;
  parser: ConfigParser;
  required: boolean;
  help?: string;
}

export function isConfigDeclaration(v: unknown): v is ConfigDeclaration {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[CONFIG] === true;
}

declare global {
  /**
   * The types of configs' default files, filled by the generated declarations (`.flowspec-types/`,
   * analyzer/configTypes.ts): one member per default file a flow's Config reads, keyed
   * `NAME\u0000DEFAULT\u0000HASH` (the config's name, its `default` as written, the file's text's
   * hash), so that flows sharing a file share its member and a file edited since leaves two keys.
   */
  interface FlowSpecConfigTypes {}
}

type KeysOf<N extends string, D extends string> = Extract<keyof FlowSpecConfigTypes, `${N}\u0000${D}\u0000${string}`>;
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/**
 * The type of config `N` whose default file is `D`: its generated type when there is exactly one
 * (none: no file, or not generated yet; two: a file edited since one flow's declarations), else `any`.
 */
export type ConfigFileType<N extends string, D extends string> = string extends N | D
  ? any
  : [KeysOf<N, D>] extends [never]
    ? any
    : true extends IsUnion<KeysOf<N, D>>
      ? any
      : FlowSpecConfigTypes[KeysOf<N, D>];

/**
 * Declares a config of the flow: `cfg = Config('cfg', { default: 'config.json' })`, read as
 * `this.cfg.some.key` in every step (frozen). It is typed from its default file (JSON or YAML) by
 * the generated declarations; give its shape to type it yourself: `Config<Settings>(...)`.
 */
export function Config<T = never, const N extends string = string, const D extends string = string>(
  name: N,
  options: ConfigOptions & { default?: D } = {},
): [T] extends [never] ? ConfigFileType<N, D> : T {
  const decl: ConfigDeclaration = {
    [CONFIG]: true,
    name,
    ...(options.default !== undefined ? { default: options.default } : {}),
    ...(options.defaultValue !== undefined ? { defaultValue: options.defaultValue } : {}),
    parser: options.parser ?? 'json',
    required: options.required ?? false,
    ...(options.help ? { help: options.help } : {}),
  };
  return decl as unknown as [T] extends [never] ? ConfigFileType<N, D> : T;
}

export interface ConfigExpr {
  [CONFIG_EXPR]: string;
}

export function isConfigExpr(v: unknown): v is ConfigExpr {
  return typeof v === 'object' && v !== null && typeof (v as Record<symbol, unknown>)[CONFIG_EXPR] === 'string';
}

export function configExprPath(e: ConfigExpr): string {
  return e[CONFIG_EXPR];
}

/**
 * A value of a config, for where a plain value is not known when the class is defined:
 * `@resources({ cpu: configExpr('cfg.cpu') })`, `@retry({ times: configExpr('cfg.retries') })`,
 * `Parameter('lr', { default: configExpr('cfg.lr') })`. `path` is the config's name and keys.
 */
export function configExpr(path: string): any {
  if (typeof path !== 'string' || !/^[A-Za-z_$][\w$]*(\.[\w$-]+)*$/.test(path))
    throw new Error(`configExpr('${String(path)}'): name a config and its keys, as configExpr('cfg.key')`);
  return { [CONFIG_EXPR]: path } satisfies ConfigExpr;
}

/** Thrown when a configExpr names a config or key that is not there. */
export class ConfigKeyError extends Error {}

/** The value `path` names among the run's configs. */
export function configValueAt(path: string, configs: Record<string, unknown>, where: string): unknown {
  const { name, keys } = splitConfigPath(path);
  if (!(name in configs)) throw new ConfigKeyError(`configExpr('${path}') in ${where}: the flow has no config '${name}'`);
  const at = configValueAtKeys(configs[name], keys);
  if (!at.found) throw new ConfigKeyError(`configExpr('${path}') in ${where}: config '${name}' has no key '${at.missing}'`);
  return at.value;
}

/** Plain data (decorator options) with every configExpr replaced by its value. */
export function resolveConfigExprs<T>(data: T, configs: Record<string, unknown>, where: string): T {
  if (isConfigExpr(data)) return configValueAt(configExprPath(data), configs, where) as T;
  if (Array.isArray(data)) return data.map((d) => resolveConfigExprs(d, configs, where)) as T;
  if (typeof data === 'object' && data !== null && Object.getPrototypeOf(data) === Object.prototype)
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, resolveConfigExprs(v, configs, where)])) as T;
  return data;
}

/** Whether plain data holds a configExpr anywhere. */
export function hasConfigExpr(data: unknown): boolean {
  if (isConfigExpr(data)) return true;
  if (Array.isArray(data)) return data.some(hasConfigExpr);
  if (typeof data === 'object' && data !== null) return Object.values(data).some(hasConfigExpr);
  return false;
}

/** The value with every object and array in it frozen: a config cannot change during a run. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
