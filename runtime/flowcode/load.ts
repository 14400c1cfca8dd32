// Loads a code package (bundle.ts makes them) in this process. A package is one function; each
// call evaluates every module of the flow afresh, so module-level state of one task never leaks
// into the next task a warm worker runs. The function is compiled once per process and package.
// What the package imports comes from here: this runtime's own `flowspec` library, Node's
// built-ins, and its external packages from the project's node_modules (or NODE_PATH).
import { readFileSync } from 'node:fs';
import Module, { createRequire, isBuiltin } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from '../errors';
import * as library from '../index';
import { FlowSpec } from '../flow/flowspec';
import type { PackageLink } from './bundle';
import { checkExternals, ProjectRequire } from './linkExternals';

export type FlowClass = new () => FlowSpec;

/** What a code package calls: `__flowspec` in bundle.ts. */
interface PackageScope {
  link(link: PackageLink): void;
  exports(namespace: Record<string, unknown>): void;
  classes(file: string, classes: Record<string, unknown>): void;
  require(id: string): unknown;
  importMeta(url: string): ImportMetaLike;
  packageMeta: ImportMetaLike;
}
type PackageFunction = (scope: PackageScope, require: (id: string) => unknown) => Promise<void>;

interface ImportMetaLike {
  url: string;
  filename: string;
  dirname: string;
  resolve(specifier: string): string;
}

/** The modules of this runtime a flow may import. */
const LIBRARY: Record<string, () => unknown> = {
  flowspec: () => library,
  'flowspec/client': () => require('../client'),
  // The card components: the runtime's own, so the task recognises what a step appends.
  'flowspec/cards': () => require('../cards'),
};

/**
 * The module each package was compiled in, kept for the life of the process: Node keeps a
 * module's source map only while the module object lives (a weak map), so a package whose module
 * was collected would give stack traces in flow.js instead of the .ts files.
 */
const compiled = new Map<string, Module>();

function packageFunction(path: string): PackageFunction {
  let holder = compiled.get(path);
  if (!holder) {
    // Compiled as a CommonJS module whatever the `"type"` of the package.json above it.
    holder = new Module(path);
    holder.filename = path;
    (holder as Module & { _compile(source: string, filename: string): void })._compile(readFileSync(path, 'utf8'), path);
    compiled.set(path, holder);
  }
  return holder.exports as PackageFunction;
}

function importMetaOf(url: string): ImportMetaLike {
  const filename = fileURLToPath(url);
  return {
    url,
    filename,
    dirname: dirname(filename),
    resolve: (specifier) => pathToFileURL(createRequire(filename).resolve(specifier)).href,
  };
}

const packageMetas = new Map<string, ImportMetaLike>();

/**
 * The import.meta of a code package's installed packages: made once per package (its URL and
 * paths cost a task 0.05 ms), copied for each evaluation.
 */
function packageMetaOf(path: string): ImportMetaLike {
  let meta = packageMetas.get(path);
  if (!meta) packageMetas.set(path, (meta = importMetaOf(pathToFileURL(path).href)));
  return { ...meta };
}

/**
 * The top-level classes of a code package's project sources, by `file#Class` (the file relative to
 * the flow's folder): what an artifact records its instances' classes by (runtime/task/classes.ts).
 */
export class ClassRegistry {
  private readonly byKey = new Map<string, Function>();
  private readonly keys = new Map<Function, string>();

  add(file: string, classes: Record<string, unknown>): void {
    for (const [name, cls] of Object.entries(classes)) {
      if (typeof cls !== 'function') continue;
      const key = `${file}#${name}`;
      this.byKey.set(key, cls);
      this.keys.set(cls, key);
    }
  }

  /** The key of a registered class. */
  keyOf(cls: unknown): string | undefined {
    return typeof cls === 'function' ? this.keys.get(cls) : undefined;
  }

  /**
   * The class registered under `key`. A record stored before keys named the file holds the flow
   * file's export name (`Point`): it finds the one class of that name, so older runs still resume.
   */
  classOf(key: string): Function | undefined {
    const cls = this.byKey.get(key);
    if (cls || key.includes('#')) return cls;
    const named = [...this.byKey].filter(([k]) => k.endsWith(`#${key}`));
    return named.length === 1 ? named[0][1] : undefined;
  }
}

/** A code package evaluated once: what its flow file exports and the classes of its sources. */
export interface LoadedPackage {
  exports: Record<string, unknown>;
  classes: ClassRegistry;
}

export async function loadCodePackage(path: string): Promise<LoadedPackage> {
  let exported: Record<string, unknown> | undefined;
  const classes = new ClassRegistry();
  let project: ProjectRequire | undefined;
  const requireModule = (id: string): unknown => {
    const own = LIBRARY[id];
    if (own) return own();
    // eslint-disable-next-line flowspec/imports -- a Node builtin the flow asked for by name (isBuiltin), no module of ours
    if (isBuiltin(id)) return require(id);
    return project!(id);
  };
  await packageFunction(path)(
    {
      link: (link) => {
        project = checkExternals(link);
      },
      exports: (namespace) => {
        exported = namespace;
      },
      classes: (file, found) => classes.add(file, found),
      require: requireModule,
      importMeta: importMetaOf,
      packageMeta: packageMetaOf(path),
    },
    requireModule,
  );
  if (!exported) throw new Error(`${path} is not a code package`);
  return { exports: exported, classes };
}

export function flowClassesOf(exports: Record<string, unknown>): Map<string, FlowClass> {
  const flows = new Map<string, FlowClass>();
  for (const value of Object.values(exports)) {
    if (typeof value === 'function' && value.prototype instanceof FlowSpec) flows.set(value.name, value as FlowClass);
  }
  return flows;
}

/** The flow named `name`, or the only flow of the file. */
export function pickFlow(flows: Map<string, FlowClass>, name: string | undefined, file: string): FlowClass {
  if (name) {
    const flow = flows.get(name);
    if (!flow) throw new UserError(`no flow named '${name}' in ${file}${flows.size ? ` (flows: ${[...flows.keys()].join(', ')})` : ''}`);
    return flow;
  }
  if (flows.size === 0) throw new UserError(`no flow in ${file}: expected a class that extends FlowSpec`);
  if (flows.size > 1) throw new UserError(`${file} has several flows (${[...flows.keys()].join(', ')}): choose one with --flow NAME`);
  return flows.values().next().value!;
}
