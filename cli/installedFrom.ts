// Where the running CLI's package came from, as the dependency `flowspec init` writes into a new
// project's package.json, so that its printed next step (`npm install`) installs this same package:
// - installed by npm (a project's node_modules, or npx's cache): what npm's lockfile says it was
//   installed from — a tarball (`file:` a path relative to the new project) or the registry (`^version`);
// - a folder of its own (a checkout, `npm link`, a folder dependency, which npm links): that folder;
// - the VS Code extension's copy (a .vsixmanifest beside package.json): the registry version.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** The package folder of this bundle (dist/cli.js lives in dist/). */
function packageFolder(): string {
  const folder = join(__dirname, '..');
  try {
    return realpathSync(folder);
  } catch {
    return folder;
  }
}

function readJson(file: string): Record<string, any> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  } catch {
    return undefined;
  }
}

/** A `file:` spec as written for a package.json in `projectDir` (relative, as npm writes them; `./` for one below). */
function fileSpec(target: string, projectDir: string): string {
  const rel = relative(projectDir, target).split('\\').join('/');
  return `file:${rel.startsWith('.') ? rel : `./${rel}`}`;
}

/**
 * What npm recorded for the installed package at `<root>/node_modules/<name>`: the lockfile's
 * `resolved` (npm's hidden lockfile first, then the project's), else the root package.json's spec.
 */
function recordedSource(root: string, name: string): string | undefined {
  for (const lock of [join(root, 'node_modules', '.package-lock.json'), join(root, 'package-lock.json')]) {
    const resolved = readJson(lock)?.packages?.[`node_modules/${name}`]?.resolved;
    if (typeof resolved === 'string') return resolved;
  }
  const manifest = readJson(join(root, 'package.json'));
  const spec = manifest?.dependencies?.[name] ?? manifest?.devDependencies?.[name];
  return typeof spec === 'string' ? spec : undefined;
}

/** The dependency spec of the running package for a new project in `projectDir`. */
export function dependencySpec(name: string, version: string, projectDir: string): string {
  const folder = packageFolder();
  const registry = `^${version}`;
  if (basename(dirname(folder)) !== 'node_modules') {
    return existsSync(join(folder, '.vsixmanifest')) ? registry : fileSpec(folder, projectDir);
  }
  const root = dirname(dirname(folder));
  const source = recordedSource(root, name);
  if (!source || !/^(file:|\.|\/)/.test(source)) return registry; // a registry URL or a version range
  const path = source.replace(/^file:/, '');
  return fileSpec(isAbsolute(path) ? path : resolve(root, path), projectDir);
}
