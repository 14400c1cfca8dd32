// The npm packages a flow's project files import, bundled apart from the project's own code and
// kept in the user's cache, so editing a flow rebuilds only the project's files (bundle.ts).
//
// While the project is bundled, each `import ... from 'pkg'` of a project file that resolves to an
// installed package is left out as `flowspec-dep:<mode>:<resolved file>`. Those files are then
// bundled together into one *deps bundle* (reused while every file it read is unchanged), and the
// code package gets it as a function declared after the project's code and called first:
//
//   module.exports = async function (__flowspec, require) { ...link...;
//     const __flowspecDepsOf = await __flowspecDeps(__flowspec); const parse = __flowspecDepsOf["flowspec-dep:..."]["parse"];
//     ...the project's code, each left-out import line emptied (lines keep their numbers)...
//     async function __flowspecDeps(__flowspec) {const __flowspecDepsOut = {};
//     ...the deps bundle, which fills __flowspecDepsOut with each import's namespace...
//     return __flowspecDepsOut; }
//   };
//
// The packages' module code still runs afresh on every call, before the project's; the two source
// maps are concatenated into one.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BuildOptions, BuildResult, Plugin } from 'esbuild';
import { findUp } from '../config';
import { userCacheDir } from '../userCache';
import { FileStamps, fileStamp, unchanged } from './fileStamps';

/** The prefix of a left-out import: `flowspec-dep:<mode>:<resolved file>`. */
const PREFIX = 'flowspec-dep:';
/** Changes whenever the deps bundle's layout does, so older cache entries are not used. */
const FORMAT = 1;

/**
 * How the importing file sees a CommonJS package's default export: `node` for a file Node treats
 * as an ES module (.mjs, .mts, or `"type": "module"`), where it is `module.exports`; `esm` else.
 */
type Mode = 'esm' | 'node';

/** The package imports of the project's files, collected while the project is bundled. */
export class DepImports {
  readonly ids = new Set<string>();
  private readonly moduleTypes = new Map<string, boolean>();

  /** The id a project file's import of `resolved` (an installed package's file) is left out as. */
  add(importer: string, resolved: string): string {
    const id = `${PREFIX}${this.isNodeMode(importer) ? 'node' : 'esm'}:${resolved}`;
    this.ids.add(id);
    return id;
  }

  private isNodeMode(importer: string): boolean {
    if (/\.m[jt]sx?$/.test(importer)) return true;
    if (/\.c[jt]sx?$/.test(importer)) return false;
    const dir = dirname(importer);
    let known = this.moduleTypes.get(dir);
    if (known === undefined) {
      const holder = findUp(dir, (d) => existsSync(join(d, 'package.json')));
      try {
        known = holder !== undefined && JSON.parse(readFileSync(join(holder, 'package.json'), 'utf8')).type === 'module';
      } catch {
        known = false;
      }
      this.moduleTypes.set(dir, known);
    }
    return known;
  }
}

/** One esbuild import clause (`def`, `* as ns`, `{ a as b, c }`, `def, { ... }`) as declarations reading `source`. */
function declarationsOf(clause: string, source: string): string[] | undefined {
  const out: string[] = [];
  let rest = clause.trim();
  const def = /^([\w$]+)\s*(,\s*|$)/.exec(rest);
  if (def) {
    out.push(`${def[1]} = ${source}.default`);
    rest = rest.slice(def[0].length);
  }
  const star = /^\*\s+as\s+([\w$]+)$/.exec(rest);
  const named = /^\{([^}]*)\}$/.exec(rest);
  if (star) out.push(`${star[1]} = ${source}`);
  else if (named) {
    for (const part of named[1].split(',')) {
      if (!part.trim()) continue;
      const m = /^\s*([\w$]+|"[^"]*")(?:\s+as\s+([\w$]+))?\s*$/.exec(part);
      if (!m) return undefined;
      const imported = m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : m[1];
      if (!m[2] && m[1].startsWith('"')) return undefined;
      out.push(`${m[2] ?? m[1]} = ${source}[${JSON.stringify(imported)}]`);
    }
  } else if (rest) return undefined;
  return out;
}

/**
 * The project's code with its left-out import lines emptied, and the declarations that replace
 * them (for the first line); undefined when an import has a form this does not know.
 */
export function takeDepImports(text: string): { text: string; declarations: string[] } | undefined {
  const declarations: string[] = [];
  let unknown = false;
  const rest = text.replace(/^import\s+(?:(.+?)\s+from\s+)?"(flowspec-dep:[^"]+)";$/gm, (_line, clause: string | undefined, id: string) => {
    // The id as esbuild wrote it (a string literal's text), so it reads as the deps bundle's key.
    const found = clause === undefined ? [] : declarationsOf(clause, `__flowspecDepsOf["${id}"]`);
    if (!found) unknown = true;
    else declarations.push(...found);
    return '';
  });
  if (unknown || rest.includes(`"${PREFIX}`)) return undefined;
  return { text: rest, declarations };
}

/** A deps bundle: its code (statements that fill `__flowspecDepsOut`), its source map, the external packages it met. */
export interface DepsBundle {
  code: string;
  map: { sources: string[]; [field: string]: unknown };
  externals: Record<string, string>;
}

interface CacheEntry extends DepsBundle {
  /** Every file the bundle read, with its size and modification time then. */
  inputs: FileStamps;
}

/** The cached bundle in `file`, when every file it was built from is as it was then (anything unreadable: none). */
function cachedBundle(file: string): DepsBundle | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
    if (typeof entry.code !== 'string' || !Array.isArray(entry.map?.sources) || typeof entry.externals !== 'object') return undefined;
    return unchanged(entry.inputs) ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The deps bundle of these imports: from the cache when no file it read has changed since, else
 * built with `options` (bundle.ts's, with its plugins for flowspec, built-ins and externals) by
 * `build` (esbuild's, its errors as bundle.ts reports them) and kept.
 */
export async function depsBundle(
  esbuildVersion: string,
  build: (options: BuildOptions) => Promise<BuildResult>,
  imports: DepImports,
  options: BuildOptions & { plugins: Plugin[] },
  /** Where `options.plugins` record the external packages they meet. */
  externals: Record<string, string>,
  /** The project's own list of external packages (flowspec.config.json). */
  configured: string[],
): Promise<DepsBundle> {
  const ids = [...imports.ids].sort();
  const key = createHash('sha256')
    .update(JSON.stringify({ FORMAT, esbuild: esbuildVersion, ids, configured, target: options.target }))
    .digest('hex')
    .slice(0, 32);
  const file = join(userCacheDir(), 'deps', `${key}.json`);
  const cached = cachedBundle(file);
  if (cached) return cached;

  const byMode: Record<Mode, string[]> = { esm: [], node: [] };
  ids.forEach((id, i) => {
    const [mode, path] = [id.slice(PREFIX.length, id.indexOf(':', PREFIX.length)) as Mode, id.slice(id.indexOf(':', PREFIX.length) + 1)];
    byMode[mode].push(`import * as d${i} from ${JSON.stringify(path)};\n__flowspecDepsOut[${JSON.stringify(id)}] = d${i};`);
  });
  // One module per mode: a .mjs one makes esbuild read CommonJS packages as Node does from an ES module.
  const modules: Record<string, string> = { 'esm.js': byMode.esm.join('\n'), 'node.mjs': byMode.node.join('\n') };
  const result = await build({
    ...options,
    stdin: {
      contents: Object.keys(modules)
        .filter((m) => modules[m])
        .map((m) => `import "flowspec-deps:${m}";`)
        .join('\n'),
      resolveDir: process.cwd(),
      sourcefile: 'flowspec-deps.js',
    },
    sourcemap: 'external',
    metafile: true,
    plugins: [
      ...options.plugins,
      {
        name: 'flowspec-deps',
        setup(build) {
          build.onResolve({ filter: /^flowspec-deps:/ }, (args) => ({
            path: args.path.slice('flowspec-deps:'.length),
            namespace: 'flowspec-deps',
          }));
          build.onLoad({ filter: /.*/, namespace: 'flowspec-deps' }, (args) => ({
            contents: modules[args.path],
            loader: 'js',
            resolveDir: '/',
          }));
        },
      },
    ],
  });
  const outDir = dirname(resolve(options.outfile!));
  const map = JSON.parse(result.outputFiles!.find((f) => f.path.endsWith('.map'))!.text) as DepsBundle['map'];
  // Absolute paths: the bundle serves code packages in any datastore.
  map.sources = map.sources.map((s) => resolve(outDir, s));
  const inputs: FileStamps = {};
  for (const input of Object.keys(result.metafile!.inputs)) {
    // The modules of the plugins' own namespaces are no files and have no stamp.
    const stamp = fileStamp(resolve(input));
    if (stamp) inputs[resolve(input)] = stamp;
  }
  const entry: CacheEntry = {
    code: result.outputFiles!.find((f) => f.path.endsWith('.js'))!.text,
    map,
    externals: { ...externals },
    inputs,
  };
  try {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(entry));
    renameSync(partial, file);
  } catch {
    // A cache that cannot be written only costs the next run a rebuild.
  }
  return entry;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One segment of a source map's `mappings`: its numbers (deltas, as written). */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encodeSegment(values: number[]): string {
  let out = '';
  for (const n of values) {
    let value = n < 0 ? (-n << 1) | 1 : n << 1;
    do {
      let digit = value & 31;
      value >>>= 5;
      if (value) digit |= 32;
      out += BASE64[digit];
    } while (value);
  }
  return out;
}

interface PlainMap {
  sources: string[];
  sourcesContent?: Array<string | null>;
  names: string[];
  mappings: string;
}

/**
 * One source map of two: `first` for the lines before `offset`, `second` (its paths absolute)
 * from there. (Node maps stack traces with plain maps only, not index maps.)
 */
function concatMaps(first: PlainMap, second: PlainMap, offset: number, firstDir: string): object {
  // Where `first`'s relative fields (source, line, column, name) end up.
  const state = [0, 0, 0, 0];
  const firstLines = first.mappings.split(';');
  for (const line of firstLines)
    for (const segment of line.split(',')) if (segment) decodeSegment(segment).forEach((v, i) => i > 0 && (state[i - 1] += v));
  // `second`'s first source and first name are written relative to 0: make them continue from
  // there (its sources and names come after `first`'s). Its other segments stay as they are.
  const shift = [first.sources.length, 0, 0, first.names.length];
  const secondLines = second.mappings.split(';');
  let needSource = true;
  let needName = second.names.length > 0;
  for (let l = 0; l < secondLines.length && (needSource || needName); l++) {
    const segments = secondLines[l].split(',');
    for (let s = 0; s < segments.length && (needSource || needName); s++) {
      const values = segments[s] ? decodeSegment(segments[s]) : [];
      const source: boolean = needSource && values.length >= 4;
      const name: boolean = needName && values.length >= 5;
      if (source) for (let i = 1; i <= 3; i++) values[i] += shift[i - 1] - state[i - 1];
      if (name) values[4] += shift[3] - state[3];
      if (source || name) segments[s] = encodeSegment(values);
      needSource &&= !source;
      needName &&= !name;
    }
    secondLines[l] = segments.join(',');
  }
  while (firstLines.length < offset) firstLines.push('');
  return {
    version: 3,
    sources: [...first.sources.map((s) => resolve(firstDir, s)), ...second.sources],
    sourcesContent: [
      ...(first.sourcesContent ?? first.sources.map(() => null)),
      ...(second.sourcesContent ?? second.sources.map(() => null)),
    ],
    names: [...first.names, ...second.names],
    mappings: [...firstLines.slice(0, offset), ...secondLines].join(';'),
  };
}

/**
 * The code package: the project's code (its banner line first, its closing brace not yet
 * written), then the deps bundle as the function its banner calls. `dir` is the folder the
 * project map's paths are relative to.
 */
export function joinDeps(project: { text: string; map: object }, deps: DepsBundle, dir: string): { text: string; map: object } {
  const head = `${project.text}async function __flowspecDeps(__flowspec) {const __flowspecDepsOut = {};\n`;
  const depsLine = head.split('\n').length - 1;
  const text = `${head}${deps.code}\nreturn __flowspecDepsOut;\n}\n`;
  return { text, map: concatMaps(project.map as PlainMap, deps.map as unknown as PlainMap, depsLine, dir) };
}
