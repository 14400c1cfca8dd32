// Turns a flow file into a code package: one bundle (with a source map back to the .ts files) that
// holds the flow's own relative and npm imports, stored in the datastore by content.
//
// The bundle is ES module code (so top-level await and import.meta work in any imported module)
// wrapped in one function, `module.exports = async function (__flowspec, require) { ... }`, that
// load.ts calls once per task: every call evaluates all module code afresh, whatever the
// project's `"type"`. Nothing is imported by the bundle itself: `flowspec`, Node's built-ins and
// the external packages (externals.ts) come through `__flowspec.require`, which the loader
// supplies, and a header line names the project folder and each external with its version.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules, SourceMap, type SourceMapping } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildOptions, BuildResult, Message, OnResolveArgs, PartialMessage, Plugin, PluginBuild } from 'esbuild';
import { loadProjectConfig } from '../config';
import { DamagedError, UserError } from '../errors';
import type { Datastore } from '../datastore';
import { keys } from '../datastore/records';
import { ExternalPolicy, findPackageDir, packageNameOf, versionOf } from './externals';
import { DepImports, depsBundle, joinDeps, takeDepImports } from './deps';
import { codePackageIntact } from '../datastore/integrity';
import { requireCached } from '../codeCache';
import { LocalDatastore } from '../datastore/local';
import { bundleStamp, userCacheDir } from '../userCache';
import { FileStamps, stampsOf, unchanged } from './fileStamps';

export interface CodePackage {
  /** Datastore key of the bundle. */
  key: string;
  /** Local path of the bundle (what a task loads). */
  path: string;
  /** Its external packages and their versions (known when it was just bundled). */
  externals?: Record<string, string>;
}

/** What the header of a code package tells the loader. */
export interface PackageLink {
  /** The flow file's folder when it was bundled: externals are looked up from there first. */
  root: string;
  /** External packages and the versions the flow was bundled against. */
  externals: Record<string, string>;
}

const LINK_PLACEHOLDER = '/*flowspec-link*/';
/** Where the package imports of the project's files are declared (deps.ts). */
const DEPS_PLACEHOLDER = '/*flowspec-deps*/';
const BANNER = `module.exports = async function (__flowspec, require) {"use strict"; __flowspec.link(${LINK_PLACEHOLDER}); ${DEPS_PLACEHOLDER}`;
/** The name of the bundle's entry, a module given to esbuild as text (stdin) that imports the flow file. */
const ENTRY_SOURCE = 'flowspec-entry.js';
/** Modules the loader supplies at run time (flowspec, built-ins, externals). */
const SUPPLIED = 'flowspec-supplied';
const BUILTIN = new RegExp(`^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`);

/**
 * The classes a source text declares at the start of a line, as top-level declarations are
 * written: each one's name, whether it is exported, and whether it extends FlowSpec.
 */
function declaredClasses(text: string): Array<{ name: string; exported: boolean; flow: boolean }> {
  const found = text.matchAll(
    /^[ \t]*(export\s+(?:default\s+)?)?(?:declare\s+)?(?:abstract\s+)?class\s+([\w$]+)(?:\s*<[^{]*?>)?(\s+extends\s+FlowSpec\b)?/gm,
  );
  return [...found].map((m) => ({ name: m[2], exported: m[1] !== undefined, flow: m[3] !== undefined }));
}

/** The flow classes a source text declares (as `declaredClasses` finds them): a guess at its flows before it is loaded. */
export function declaredFlows(text: string): string[] {
  return declaredClasses(text)
    .filter((c) => c.flow)
    .map((c) => c.name);
}

/**
 * Flows need not be exported, but the bundle must expose them: this appends an export for each
 * class of the entry file that extends FlowSpec and is not exported already.
 */
function withFlowExports(text: string): string {
  const missing = declaredClasses(text)
    .filter((c) => c.flow && !c.exported)
    .map((c) => c.name);
  return missing.length ? `${text}\nexport { ${missing.join(', ')} };\n` : text;
}

/**
 * Instances of any class of the project's sources keep their class as artifacts, exported or not
 * (runtime/task/classes.ts): this appends a statement that hands each class the file declares to
 * the loader, under `file#Class` with the file relative to the flow's folder. A name that turns
 * out not to be a class in the module's scope (a class declared inside a function) gives nothing.
 */
function withClassRegistration(text: string, file: string): string {
  const names = [...new Set(declaredClasses(text).map((c) => c.name))];
  if (!names.length) return text;
  const entries = names.map((n) => `${n}: typeof ${n} === 'function' ? ${n} : undefined`).join(', ');
  return `${text}\n__flowspec.classes(${JSON.stringify(file)}, { ${entries} });\n`;
}

const STANDARD_DECORATORS = { compilerOptions: { experimentalDecorators: false, useDefineForClassFields: true } };

/**
 * The project's own source files (not node_modules): the entry gets its flow exports; each file
 * registers its classes (withClassRegistration); every `import.meta` becomes that file's own (its URL, filename, dirname); and a TypeScript file that
 * imports `flowspec` is compiled with standard (TC39) decorators even when its tsconfig.json asks
 * for legacy ones, since `@step` is a standard decorator. Every other option of the file's nearest
 * tsconfig.json (paths, baseUrl, jsx...) applies as esbuild reads it.
 */
function projectSources(entry: string, transformed: Map<string, string>): Plugin {
  return {
    name: 'flowspec-project-sources',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (args.namespace !== 'file' || args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        let text = readFileSync(args.path, 'utf8');
        const isEntry = args.path === entry;
        const usesMeta = text.includes('import.meta');
        const usesFlowspec = /\bfrom\s*['"]flowspec(\/[\w-]+)?['"]/.test(text);
        const registered = withClassRegistration(text, relative(dirname(entry), args.path).split(sep).join('/'));
        if (!isEntry && !usesMeta && !usesFlowspec && registered === text) return undefined;
        text = isEntry ? withFlowExports(registered) : registered;
        if (usesMeta) text = text.replace(/\bimport\.meta\b/g, `__flowspec.importMeta(${JSON.stringify(pathToFileURL(args.path).href)})`);
        const loader = /\.[cm]?jsx?$/.test(args.path) ? (args.path.endsWith('x') ? 'jsx' : 'js') : args.path.endsWith('x') ? 'tsx' : 'ts';
        if (!usesFlowspec || (loader !== 'ts' && loader !== 'tsx')) return { contents: text, loader };
        const esbuild = loadEsbuild();
        try {
          const out = await esbuild.transform(text, {
            loader,
            sourcefile: args.path,
            sourcemap: 'external',
            target: 'node20',
            keepNames: true,
            tsconfigRaw: STANDARD_DECORATORS,
          });
          transformed.set(args.path, out.map);
          // The build chains this map, so stack traces point at the .ts lines.
          return {
            contents: `${out.code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(out.map).toString('base64')}\n`,
            loader: 'js',
          };
        } catch (e) {
          // A syntax error: reported by the build with its location in the file.
          return { errors: (e as { errors?: PartialMessage[] }).errors ?? [{ text: (e as Error).message }] };
        }
      });
    },
  };
}

/**
 * `flowspec`, Node's built-ins and external packages become modules that ask the loader for
 * them; every external met is recorded with the version installed here. With `deps`, a project
 * file's import of any other installed package is left out for the deps bundle (deps.ts).
 */
function suppliedModules(policy: ExternalPolicy, externals: Record<string, string>, deps?: DepImports): Plugin {
  const supply = (path: string) => ({ path, namespace: SUPPLIED });
  return {
    name: 'flowspec-supplied-modules',
    setup(build) {
      build.onResolve({ filter: /^flowspec(\/.*)?$/ }, (args) => supply(args.path));
      build.onResolve({ filter: BUILTIN }, (args) => supply(args.path));
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.plain || args.namespace !== 'file') return undefined;
        const name = packageNameOf(args.path);
        const listed = policy.isListed(name);
        const installed = listed ? undefined : await installedPackage(build, args);
        const dir = listed ? findPackageDir(name, args.resolveDir) : installed?.dir;
        if (!dir)
          return listed ? { errors: [{ text: `Could not resolve "${args.path}": install it in the project (npm i ${name})` }] } : undefined;
        if (listed || policy.isExternalPackage(dir)) {
          externals[name] ??= versionOf(dir);
          return supply(args.path);
        }
        if (deps && installed && args.kind === 'import-statement' && !args.importer.includes(`${sep}node_modules${sep}`))
          return { path: deps.add(args.importer, installed.path), external: true };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: SUPPLIED }, (args) => ({
        contents: `module.exports = __flowspec.require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

/** The installed package a bare import resolves to: its folder and the file (none for a workspace package or a failure). */
async function installedPackage(build: PluginBuild, args: OnResolveArgs): Promise<{ dir: string; path: string } | undefined> {
  // `plain` keeps this resolution out of the plugin's own onResolve.
  const resolved = await build.resolve(args.path, {
    resolveDir: args.resolveDir,
    kind: args.kind,
    importer: args.importer,
    pluginData: { plain: true },
  });
  if (resolved.errors.length || !resolved.path) return undefined;
  const name = packageNameOf(args.path);
  const marker = `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`;
  const at = resolved.path.lastIndexOf(marker);
  return at < 0 ? undefined : { dir: resolved.path.slice(0, at + marker.length - 1), path: resolved.path };
}

/**
 * One line for a build error: where (in the .ts file, also when the error is in its compiled
 * form), what, and what to do about an unresolved package.
 */
function describeBuildError(first: Message, transformed: Map<string, string>): string {
  const at = first.location;
  let where = '';
  if (at) {
    const map = transformed.get(resolve(at.file));
    const original = map ? (new SourceMap(JSON.parse(map)).findEntry(at.line - 1, at.column) as Partial<SourceMapping>) : undefined;
    where =
      original?.originalLine !== undefined && original.originalColumn !== undefined
        ? `${at.file}:${original.originalLine + 1}:${original.originalColumn + 1}: `
        : `${at.file}:${at.line}:${at.column + 1}: `;
  }
  const bare = /^Could not resolve "([^./][^"]*)"$/.exec(first.text);
  const hint = bare ? `: install it in the project (npm i ${packageNameOf(bare[1])}) or fix the import` : '';
  return `${where}${first.text}${hint}`;
}

let esbuildApi: typeof import('esbuild') | undefined;
let esbuildFound: { main: string; version: string } | undefined;

/** The installed esbuild: its API's file and its version (found once: every run asks for the package record's key, then to load it). */
function esbuildPackage(): { main: string; version: string } {
  if (esbuildFound) return esbuildFound;
  const main = require.resolve('esbuild');
  const { version } = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string };
  esbuildFound = { main, version };
  return esbuildFound;
}

/**
 * esbuild, loaded when a flow is first bundled. Not with import(): Node's import() of a CommonJS
 * package first scans its source for the names it exports (~30 ms on every run); and through V8's
 * code cache, under its version (compiling its API cost ~10 ms of every run).
 */
function loadEsbuild(): typeof import('esbuild') {
  if (esbuildApi) return esbuildApi;
  const { main, version } = esbuildPackage();
  esbuildApi = requireCached(main, 'esbuild', version) as typeof import('esbuild');
  return esbuildApi;
}

/** Loads esbuild and starts its service process before a flow is bundled (the editor's standby spin does it while it waits). */
export function startBundler(): void {
  void loadEsbuild().initialize({});
}

/**
 * The code package last made of a flow file, reused while its files are as they were (fileStamps.ts):
 * a run of an unchanged flow neither starts esbuild nor bundles. Only for a flow made of project files
 * alone (no npm package, bundled or external), whose bundle depends on nothing else but the folders'
 * tsconfig.json, jsconfig.json and package.json, which are stamped too (present or not), and the folders
 * of its files (a file added beside one may be what an import now resolves to).
 */
interface PackageRecord {
  files: FileStamps;
  key: string;
}

/** Where the record of `entry`'s package is kept: by this build of the CLI, esbuild's version, the project's externals and the staging file. */
function packageRecordKey(entry: string, staging: string, configured: string[] | undefined): string | undefined {
  const stamp = bundleStamp('cliMain');
  if (stamp === undefined) return undefined;
  const id = JSON.stringify({ entry, staging, configured, stamp, esbuild: esbuildPackage().version });
  return `code-packages/${createHash('sha256').update(id).digest('hex').slice(0, 32)}.json`;
}

/** The files whose stamps decide whether a build of `inputs` (the project's files it read) still holds; undefined when none can. */
function packageFiles(inputs: string[]): string[] | undefined {
  if (!inputs.length || inputs.some((f) => f.split(sep).includes('node_modules'))) return undefined;
  const dirs = new Set<string>();
  for (const input of inputs) {
    for (let dir = dirname(input); !dirs.has(dir); dir = dirname(dir)) {
      dirs.add(dir);
      if (dirname(dir) === dir) break;
    }
  }
  const configs = [...dirs].flatMap((d) => ['tsconfig.json', 'jsconfig.json', 'package.json'].map((f) => join(d, f)));
  // A tsconfig that extends another file depends on one more: left to the bundler.
  if (configs.some((f) => !f.endsWith('package.json') && /"extends"/.test(readOr(f)))) return undefined;
  return [...inputs, ...new Set(inputs.map((f) => dirname(f))), ...configs];
}

/**
 * Whether a file stamped after a build was last changed before the build began, with a margin for
 * file systems that keep modification times to the second (or two): a file edited while esbuild
 * read it must not be recorded with its new stamp beside the package of its old text.
 */
function stampedBefore(stamp: [number, number] | null | undefined, started: number): boolean {
  return !!stamp && stamp[1] < started - 2000;
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const userCache = () => new LocalDatastore(userCacheDir());

/** The stored package `record` names, when its files are as they were and the package is in the datastore, intact. */
function reusedPackage(datastore: Datastore, recordKey: string): CodePackage | undefined {
  let record: PackageRecord | undefined;
  try {
    record = userCache().readJson<PackageRecord>(recordKey);
  } catch {
    return undefined; // a cache folder that cannot be read: the flow is bundled
  }
  if (typeof record?.key !== 'string' || !unchanged(record.files)) return undefined;
  const sha = /^\.code\/([0-9a-f]+)\//.exec(record.key)?.[1];
  const stored = datastore.readFile(record.key);
  const path = datastore.localPath(record.key);
  if (!sha || !stored || !path || !codePackageIntact(stored, sha)) return undefined;
  return { key: record.key, path, externals: {} };
}

/** The options the project's build and the deps bundle's share. */
function buildOptions(staging: string): BuildOptions {
  return {
    outfile: staging,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    keepNames: true,
    logLevel: 'silent',
    // import.meta in an installed package (the project's files get their own, above).
    define: { 'import.meta': '__flowspec.packageMeta' },
  };
}

/** esbuild's build, its errors as one UserError line. */
async function build(esbuild: typeof import('esbuild'), options: BuildOptions, transformed: Map<string, string>): Promise<BuildResult> {
  try {
    return await esbuild.build(options);
  } catch (e) {
    const first = (e as { errors?: Message[] }).errors?.[0];
    if (first) throw new UserError(describeBuildError(first, transformed));
    throw e;
  }
}

export async function bundleFlowFile(file: string, datastore: Datastore): Promise<CodePackage> {
  const entry = resolve(file);
  if (!existsSync(entry)) throw new UserError(`no such flow file: ${file}`);
  const staging = datastore.localPath('.code/staging/flow.js') ?? join(process.cwd(), '.code/staging/flow.js');
  const configured = loadProjectConfig(dirname(entry))?.config.external;
  const recordKey = packageRecordKey(entry, staging, configured);
  const reused = recordKey && reusedPackage(datastore, recordKey);
  if (reused) return reused;
  const esbuild = loadEsbuild();
  const policy = new ExternalPolicy(configured);
  const transformed = new Map<string, string>();
  const projectBuild = async (deps: DepImports | undefined) => {
    const externals: Record<string, string> = {};
    const result = await build(
      esbuild,
      {
        ...buildOptions(staging),
        stdin: {
          contents: `import * as flow from ${JSON.stringify(`./${basename(entry)}`)};\n__flowspec.exports(flow);\n`,
          resolveDir: dirname(entry),
          sourcefile: ENTRY_SOURCE,
        },
        sourcemap: 'external',
        metafile: true,
        banner: { js: BANNER },
        plugins: [suppliedModules(policy, externals, deps), projectSources(entry, transformed)],
      },
      transformed,
    );
    const text = result.outputFiles!.find((f) => f.path.endsWith('.js'))!.text;
    const map = JSON.parse(result.outputFiles!.find((f) => f.path.endsWith('.map'))!.text) as object;
    // The files read: the modules of the plugins' own namespaces and the entry's stdin are none.
    const stdin = resolve(dirname(entry), ENTRY_SOURCE);
    const inputs = Object.keys(result.metafile!.inputs)
      .filter((input) => !input.startsWith(`${SUPPLIED}:`))
      .map((input) => resolve(input))
      .filter((input) => input !== stdin);
    return { text, map, externals, inputs };
  };

  const deps = new DepImports();
  const started = Date.now();
  let project = await projectBuild(deps);
  const split = deps.ids.size ? takeDepImports(project.text) : undefined;
  // An import of a form the split does not read: the packages go into the project's bundle instead.
  if (deps.ids.size && !split) project = await projectBuild(undefined);
  let code = { text: project.text.replace(DEPS_PLACEHOLDER, ''), map: project.map };
  const externals = project.externals;
  if (split) {
    const depsExternals: Record<string, string> = {};
    const options = { ...buildOptions(staging), plugins: [suppliedModules(policy, depsExternals)] };
    const bundle = await depsBundle(esbuild.version, (o) => build(esbuild, o, transformed), deps, options, depsExternals, configured ?? []);
    Object.assign(externals, bundle.externals);
    const prelude = `const __flowspecDepsOf = await __flowspecDeps(__flowspec);${split.declarations.length ? ` const ${split.declarations.join(', ')};` : ''}`;
    code = joinDeps({ text: split.text.replace(DEPS_PLACEHOLDER, () => prelude), map: project.map }, bundle, dirname(staging));
  }
  const link: PackageLink = { root: dirname(entry), externals: Object.fromEntries(Object.entries(externals).sort()) };
  const js = Buffer.from(`${code.text.replace(LINK_PLACEHOLDER, () => JSON.stringify(link))}};\n//# sourceMappingURL=flow.js.map\n`);
  const sha = createHash('sha256').update(js).digest('hex').slice(0, 32);
  const key = keys.codePackage(sha);
  const stored = datastore.readFile(key);
  // A package is reused by its name only when its content still matches it (it is small).
  if (stored === undefined || !codePackageIntact(stored, sha)) {
    // The map first, so a package that exists always has its map.
    datastore.writeFile(`${key}.map`, Buffer.from(JSON.stringify(code.map)));
    datastore.writeFile(key, js);
  }
  const path = datastore.localPath(key);
  if (!path) throw new Error('code packages need a datastore with local paths');
  const files = recordKey && !split && !Object.keys(externals).length ? packageFiles(project.inputs) : undefined;
  const stamps = files && stampsOf(files);
  if (recordKey && stamps && project.inputs.every((f) => stampedBefore(stamps[f], started))) {
    // The cache only saves time: a folder that cannot be written costs the next run a build.
    try {
      userCache().writeJson(recordKey, { files: stamps, key } satisfies PackageRecord);
    } catch {
      /* rebuilt next time */
    }
  }
  return { key, path, externals: link.externals };
}

/** Code packages this process has checked. */
const verified = new Set<string>();

/**
 * The local path of a stored code package, after checking its content against its name. A package
 * is compiled once per process (load.ts), so it is checked once per process: the first time.
 */
export function verifiedCodePackage(datastore: Datastore, key: string): string {
  const path = datastore.localPath(key);
  if (!path) throw new Error('code packages need a datastore with local paths');
  if (verified.has(path)) return path;
  const sha = /^\.code\/([0-9a-f]+)\//.exec(key)?.[1];
  // The local file is what will run (for an object store, its cached copy).
  const bytes = existsSync(path) ? readFileSync(path) : undefined;
  if (!sha || !bytes || !codePackageIntact(bytes, sha)) {
    throw new DamagedError(
      `damaged code package ${path}: ${bytes ? 'its content does not match its hash' : 'it is missing'} (run the flow file again, or flowspec fsck --repair)`,
      path,
    );
  }
  verified.add(path);
  return path;
}
