// `npm run package`: the extension as a .vsix, offline. Everything is bundled by esbuild (see
// scripts/build.mjs) except esbuild itself, which the CLI imports at run time to bundle a flow
// file — and vsce never puts node_modules in a .vsix built with --no-dependencies. So the .vsix
// is assembled in a staging folder (.e2e/vsix/) holding only what ships, with a package.json whose
// one dependency is esbuild, and vsce packs that folder; `npm list` there is local, so nothing
// touches the network. The result is for the platform it is built on (esbuild's native binary).
// The TypeScript server plugin (client/tsPlugin) ships the same way: its package shim, the
// declarations it hands out (dist/types) and Node's types (@types/node with undici-types).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');
const STAGE = join(REPO, '.e2e/vsix');
const OUT = resolve(REPO, process.argv[2] ?? 'flowspec.vsix');
const SHIP = [
  'dist/extension.js',
  'dist/datastoreReader.js',
  'dist/s3worker.js',
  'dist/server.js',
  'dist/lastRunReader.js',
  'dist/artifactTypesWriter.js',
  'dist/cli.js',
  'dist/cliMain.js',
  'dist/cliMain.stamp',
  'dist/analysis.js',
  // The stamps name each bundle's build: the CLI loads a bundle through V8's code cache only with its stamp.
  'dist/analysis.stamp',
  'dist/webview/graph.js',
  'dist/cards/viewer.js',
  'dist/tsPlugin.js',
  'dist/types',
  'client/media',
  'syntaxes',
];
// Packages in the .vsix's node_modules, each a dependency of the staged manifest so vsce keeps it.
const MODULES = ['esbuild', `@esbuild/${process.platform}-${process.arch}`, 'flowspec-ts-plugin', '@types/node', 'undici-types'];

for (const f of SHIP)
  if (!existsSync(join(REPO, f))) {
    console.error(`missing ${f}: run \`npm run build\` first`);
    process.exit(1);
  }
rmSync(STAGE, { recursive: true, force: true });
mkdirSync(STAGE, { recursive: true });
for (const f of SHIP) cpSync(join(REPO, f), join(STAGE, f), { recursive: true });
cpSync(join(REPO, 'client/README.md'), join(STAGE, 'README.md'));
for (const f of ['LICENSE', 'LICENSE.md', 'CHANGELOG.md']) if (existsSync(join(REPO, f))) cpSync(join(REPO, f), join(STAGE, f));

// esbuild with its binary for this platform; the plugin's shim (npm run build puts it in node_modules).
for (const m of MODULES) cpSync(join(REPO, 'node_modules', m), join(STAGE, 'node_modules', m), { recursive: true, dereference: true });
const versionOf = (m) => JSON.parse(readFileSync(join(REPO, 'node_modules', m, 'package.json'), 'utf8')).version;

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
delete manifest.devDependencies;
delete manifest.scripts;
delete manifest.bin;
delete manifest.exports;
// The npm package's fields (what `npm pack` ships): the .vsix lists its own files above.
delete manifest.files;
delete manifest.types;
delete manifest.typesVersions;
manifest.dependencies = Object.fromEntries(['esbuild', 'flowspec-ts-plugin', '@types/node'].map((m) => [m, versionOf(m)]));
writeFileSync(join(STAGE, 'package.json'), JSON.stringify(manifest, null, 2));
writeFileSync(
  join(STAGE, '.vscodeignore'),
  ['**/*.map', 'node_modules/esbuild/install.js', 'node_modules/esbuild/README.md', 'node_modules/esbuild/bin/**'].join('\n'),
);

const vsce = join(REPO, 'node_modules/@vscode/vsce/vsce');
const r = spawnSync(
  process.execPath,
  [vsce, 'package', '--no-rewrite-relative-links', '--allow-missing-repository', '--skip-license', '-o', OUT],
  { cwd: STAGE, stdio: 'inherit', env: { ...process.env, npm_config_offline: 'true' } },
);
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(`\nInstall it with:  code --install-extension ${OUT}`);
