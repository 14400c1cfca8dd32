// Bundles every entry point with esbuild. One bundle per entry (see README "Build").
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
/** The bundles loaded through V8's code cache: each gets a stamp, and is made ASCII (asciiBundle). */
const CODE_CACHED = ['analysis', 'cliMain'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  // esbuild has a native binary: the CLI loads the installed package when it bundles a flow.
  external: ['vscode', 'esbuild'],
};

// The analyzer (ts-morph + TypeScript, ~10 MB) is its own bundle, dist/analysis.js. The CLI loads it
// only for check/graph/show and the pre-run validation, so `run` and the task workers start fast.
const analysisAsSeparateBundle = {
  name: 'analysis-as-separate-bundle',
  setup(build) {
    build.onResolve({ filter: /\/analyzer$/ }, () => ({ path: './analysis.js', external: true }));
  },
};
// The Runner returns the client API's own Run and Task: it loads dist/client.js instead of a copy.
const clientAsSeparateBundle = {
  name: 'client-as-separate-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/client$/ }, () => ({ path: './client.js', external: true }));
  },
};
const entries = [
  // The bin is a launcher that loads the CLI's bundle through V8's code cache (cli/bin.ts).
  { in: 'cli/bin.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'cli/main.ts', out: 'dist/cliMain.js', plugins: [analysisAsSeparateBundle] },
  { in: 'analyzer/index.ts', out: 'dist/analysis.js' },
  { in: 'runtime/index.ts', out: 'dist/flowspec.js' },
  // The S3 datastore's worker thread, with the AWS SDK: loaded only when an s3:// root is used.
  { in: 'runtime/datastore/s3Worker.ts', out: 'dist/s3worker.js' },
  { in: 'runtime/client/index.ts', out: 'dist/client.js' },
  { in: 'runtime/cards/index.ts', out: 'dist/cards.js' },
  { in: 'runtime/runner/index.ts', out: 'dist/runner.js', plugins: [clientAsSeparateBundle] },
  // The card viewer (Vega-Embed, markdown-it): one browser bundle, stored once per datastore and
  // loaded by every card page, the card server and the editor's card webview.
  { in: 'runtime/cards/viewer/main.ts', out: 'dist/cards/viewer.js', platform: 'browser', format: 'iife', minify: true, sourcemap: false },
  { in: 'server/main.ts', out: 'dist/server.js' },
  // The language server's last-run reader, a worker thread: hover's values of the latest runs.
  { in: 'server/lastRun/worker.ts', out: 'dist/lastRunReader.js' },
  // The language server's artifact-types writer, a worker thread that loads dist/analysis.js: .flowspec-types while typing.
  { in: 'server/artifactTypes/worker.ts', out: 'dist/artifactTypesWriter.js', plugins: [analysisAsSeparateBundle] },
  { in: 'client/extension.ts', out: 'dist/extension.js' },
  // The extension's datastore reader, a worker thread: the Runs view, the graph's colours, cards and
  // the prompts' earlier runs are read there, never on the extension host's thread.
  { in: 'client/reader/worker.ts', out: 'dist/datastoreReader.js' },
  // The TypeScript server plugin hands the declarations of `exports` to projects without flowspec.
  { in: 'client/tsPlugin/index.ts', out: 'dist/tsPlugin.js', define: { FLOWSPEC_TYPE_ENTRIES: JSON.stringify(typeEntries()) } },
  { in: 'client/webview/graph.ts', out: 'dist/webview/graph.js', platform: 'browser', format: 'iife' },
  { in: 'test/e2e/suite/index.ts', out: 'dist/e2e/suite.js' },
].filter((e) => existsSync(e.in));

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      ...common,
      entryPoints: [e.in],
      outfile: e.out,
      ...(e.platform ? { platform: e.platform, format: e.format } : {}),
      ...(e.banner ? { banner: { js: e.banner } } : {}),
      ...(e.plugins ? { plugins: e.plugins } : {}),
      ...(e.define ? { define: e.define } : {}),
      ...(e.minify ? { minify: true } : {}),
      ...(e.sourcemap === false ? { sourcemap: false } : {}),
    }),
  ),
);
if (watch) {
  // Rebuilds write no stamps: without one, each bundle loads without a code cache (a stale stamp would name another text's).
  for (const bundle of CODE_CACHED) rmSync(`dist/${bundle}.stamp`, { force: true });
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching', entries.map((e) => e.in).join(', '));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  for (const bundle of CODE_CACHED) {
    asciiBundle(bundle);
    writeStamp(bundle);
  }
  writeTypeDeclarations();
  installTsPluginShim();
}

/** Package name → declaration file of each `exports` entry (`flowspec`, `flowspec/client`), from package.json. */
function typeEntries() {
  const { name, exports } = JSON.parse(readFileSync('package.json', 'utf8'));
  const typesOf = (target) =>
    typeof target !== 'object' || target === null
      ? undefined
      : typeof target.types === 'string'
        ? target.types
        : Object.values(target).map(typesOf).find(Boolean);
  const entries = {};
  for (const [sub, target] of Object.entries(exports)) {
    const types = typesOf(target);
    if (types) entries[sub === '.' ? name : `${name}/${sub.slice(2)}`] = types.replace(/^\.\//, '');
  }
  return entries;
}

// tsserver finds a contributed plugin as a package in <extension>/node_modules: in development the
// extension is the repo, so the shim goes to the repo's node_modules (package.mjs ships the same).
function installTsPluginShim() {
  cpSync('client/tsPlugin/package', 'node_modules/flowspec-ts-plugin', { recursive: true });
}

// Declarations behind the package's `exports` map (`flowspec`, `flowspec/client`, `flowspec/cards`).
function writeTypeDeclarations() {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.types.json'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The bundles the CLI loads through V8's code cache (runtime/codeCache.ts). It reads them as Latin-1, a
// plain copy, when they are ASCII: as UTF-8, one non-ASCII character in a comment made V8 hold all of
// dist/analysis.js's 14 MB as UTF-16 (~40 ms more CPU a load to decode and compile). esbuild escapes
// every non-ASCII character of the code (its default charset); what is left is in the comments it
// keeps, where an escape changes nothing.
function asciiBundle(name) {
  const file = `dist/${name}.js`;
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

// dist/NAME.stamp, the hash of dist/NAME.js: it names the bundle's code cache (V8 checks only a source's
// length), and the analyzer's also keys the CLI's cached verdicts on flow files (runtime/checkCache.ts).
function writeStamp(name) {
  const file = `dist/${name}.js`;
  if (!existsSync(file)) return;
  writeFileSync(`dist/${name}.stamp`, createHash('sha1').update(readFileSync(file)).digest('hex'));
}
