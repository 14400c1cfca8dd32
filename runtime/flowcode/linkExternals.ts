// The external packages of a code package, found where its task runs: from the flow's project
// folder when this machine has it (a local run, a shared filesystem), else from the working
// directory, else from NODE_PATH (Node's global folders): what an image for remote tasks sets up.
// Each must be the version the flow was bundled against; one that is missing or differs stops the
// task with one line naming the package and the version.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PackageLink } from './bundle';
import { packageNameOf } from './externals';

export type ProjectRequire = (id: string) => unknown;

export class ExternalPackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExternalPackageError';
    // One line wherever it is shown: the runtime's frames say nothing to the user.
    this.stack = `${this.name}: ${message}`;
  }
}

/** Checked once per process and link: the packages do not change under a running worker. */
const checked = new Map<string, ProjectRequire>();

/** The installed version of package `name` whose entry point is `file`. */
function installedVersion(file: string, name: string): string | undefined {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    const pkgFile = join(dir, 'package.json');
    if (!existsSync(pkgFile)) continue;
    try {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
      if (pkg.name === name) return pkg.version;
    } catch {
      /* not a readable package.json: go on up */
    }
  }
  return undefined;
}

function requireFrom(folder: string): NodeRequire {
  return createRequire(join(folder, '__flowspec__.js'));
}

export function checkExternals(link: PackageLink): ProjectRequire {
  const id = JSON.stringify(link);
  const known = checked.get(id);
  if (known) return known;
  const bases = [...new Set([link.root, process.cwd()].filter((d) => existsSync(d)))].map(requireFrom);
  const byPackage = new Map<string, NodeRequire>();
  for (const [name, version] of Object.entries(link.externals)) byPackage.set(name, locate(name, version, bases));
  const load: ProjectRequire = (request) => {
    return (byPackage.get(packageNameOf(request)) ?? bases[0] ?? require)(request);
  };
  checked.set(id, load);
  return load;
}

function locate(name: string, version: string, bases: NodeRequire[]): NodeRequire {
  for (const load of bases) {
    let entry: string;
    try {
      entry = load.resolve(name);
    } catch {
      continue;
    }
    const found = installedVersion(entry, name);
    if (found !== version) {
      throw new ExternalPackageError(
        `this flow needs ${name} ${version}, but ${found ? `version ${found}` : 'an unknown version'} is installed here (${dirname(entry)}): install ${name}@${version}`,
      );
    }
    return load;
  }
  throw new ExternalPackageError(
    `this flow needs ${name} ${version}, which is not installed here: install ${name}@${version} in the project, or in the image of remote tasks (docs/projects.md)`,
  );
}
