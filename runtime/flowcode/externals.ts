// Which npm packages a flow imports that cannot go into its code package: packages with native
// addons (a `.node` file cannot be bundled), packages known to read their own files at run time,
// and those the project lists in flowspec.config.json `"external": [...]`. They stay out of the
// bundle and load from the project's node_modules when a task runs (see load.ts); the code package
// records each one's name and installed version so a task can say which one its environment lacks.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { findUp } from '../config';

/**
 * Packages that bundle badly without any native marker: they start their own binaries or read
 * files next to their code at run time.
 */
export const KNOWN_EXTERNALS = [
  'esbuild',
  'typescript',
  'playwright',
  'playwright-core',
  'puppeteer',
  '@prisma/client',
  'sharp',
  'onnxruntime-node',
  '@tensorflow/tfjs-node',
  'canvas',
  'better-sqlite3',
  'duckdb',
  '@duckdb/node-api',
];

/** Packages whose presence among the dependencies means a native addon is built or downloaded. */
const NATIVE_LOADERS = [
  'node-gyp-build',
  'bindings',
  'prebuild-install',
  'node-pre-gyp',
  '@mapbox/node-pre-gyp',
  'node-addon-api',
  'nan',
  '@neon-rs/load',
];

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  gypfile?: boolean;
  binary?: unknown;
  napi?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** `@scope/name` or `name` of a bare import specifier (`pkg/sub/path` → `pkg`). */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function readPackageJson(dir: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The folder of package `name` as Node finds it from `from` (node_modules up the tree), real path. */
export function findPackageDir(name: string, from: string): string | undefined {
  const holder = findUp(from, (dir) => existsSync(join(dir, 'node_modules', name, 'package.json')));
  return holder ? realpathSync(join(holder, 'node_modules', name)) : undefined;
}

function hasNodeFile(dir: string): boolean {
  for (const sub of ['', 'build/Release', 'prebuilds']) {
    try {
      if (readdirSync(join(dir, sub), { recursive: sub === 'prebuilds' }).some((f) => String(f).endsWith('.node'))) return true;
    } catch {
      /* no such folder */
    }
  }
  return false;
}

/** Decides, once per package folder, whether a package must stay out of code packages. */
export class ExternalPolicy {
  private readonly verdicts = new Map<string, boolean>();

  constructor(private readonly configured: string[] = []) {}

  /** Named in flowspec.config.json or in the known list: external whether installed or not. */
  isListed(name: string): boolean {
    return this.configured.includes(name) || KNOWN_EXTERNALS.includes(name);
  }

  /**
   * Whether the package in `dir` must stay external: it is listed, has a native addon (a `.node`
   * file, a `gypfile`, `binary` or `napi` field, a native loader among its dependencies), or one
   * of its dependencies must. Only installed packages (in a node_modules folder) qualify: a
   * workspace package of a monorepo is source and is bundled.
   */
  isExternalPackage(dir: string): boolean {
    if (!dir.includes(`${sep}node_modules${sep}`)) return false;
    const known = this.verdicts.get(dir);
    if (known !== undefined) return known;
    this.verdicts.set(dir, false); // a dependency cycle ends here
    const verdict = this.decide(dir);
    this.verdicts.set(dir, verdict);
    return verdict;
  }

  private decide(dir: string): boolean {
    const pkg = readPackageJson(dir);
    if (!pkg) return false;
    if (pkg.name && this.isListed(pkg.name)) return true;
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
    if (
      pkg.gypfile ||
      pkg.binary ||
      pkg.napi ||
      pkg.main?.endsWith('.node') ||
      deps.some((d) => NATIVE_LOADERS.includes(d)) ||
      hasNodeFile(dir)
    )
      return true;
    return deps.some((d) => {
      const depDir = findPackageDir(d, dirname(dir));
      return depDir !== undefined && this.isExternalPackage(depDir);
    });
  }
}

/** The installed version of the package in `dir`. */
export function versionOf(dir: string): string {
  return readPackageJson(dir)?.version ?? '0.0.0';
}
