// Turns a flow file into a code package: one CommonJS bundle (with a source map back to the .ts
// file) that holds the flow's own relative and npm imports, stored in the datastore by content.
// `flowspec` itself stays external: the runtime supplies it when the package is loaded.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import type { Datastore } from '../datastore';
import { keys } from '../datastore/records';
import { codePackageIntact } from '../datastore/integrity';
import { DamagedError, UserError } from '../errors';

export interface CodePackage {
  /** Datastore key of the bundle. */
  key: string;
  /** Local path of the bundle (what a task requires). */
  path: string;
}

/**
 * Flows need not be exported, but the bundle must expose them: this appends an export for each
 * class of the entry file that extends FlowSpec and is not exported already.
 */
function exportFlowClasses(entry: string): Plugin {
  return {
    name: 'flowspec-export-flows',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (resolve(args.path) !== entry) return undefined;
        let text = readFileSync(args.path, 'utf8');
        const missing: string[] = [];
        for (const m of text.matchAll(/(^|[^\w$])(export\s+(?:default\s+)?)?(?:abstract\s+)?class\s+([\w$]+)\s+extends\s+FlowSpec\b/g)) {
          if (!m[2]) missing.push(m[3]);
        }
        if (missing.length) text += `\nexport { ${missing.join(', ')} };\n`;
        return { contents: text, loader: args.path.endsWith('x') ? 'tsx' : args.path.match(/\.[cm]?js$/) ? 'js' : 'ts' };
      });
    },
  };
}

export async function bundleFlowFile(file: string, datastore: Datastore): Promise<CodePackage> {
  const entry = resolve(file);
  if (!existsSync(entry)) throw new UserError(`no such flow file: ${file}`);
  const esbuild = await import('esbuild');
  const staging = datastore.localPath('.code/staging/flow.js') ?? join(process.cwd(), '.code/staging/flow.js');
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      outfile: staging,
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'linked',
      keepNames: true,
      logLevel: 'silent',
      external: ['flowspec', 'flowspec/*'],
      // Standard (TC39) decorators, whatever the user's tsconfig says about legacy ones.
      tsconfigRaw: { compilerOptions: { experimentalDecorators: false, useDefineForClassFields: true } },
      plugins: [exportFlowClasses(entry)],
    });
  } catch (e) {
    const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } }> }).errors;
    const first = errors?.[0];
    if (first) {
      const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
      throw new UserError(`${where}${first.text}`);
    }
    throw e;
  }
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))!;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  const sha = createHash('sha256').update(js.contents).digest('hex').slice(0, 32);
  const key = keys.codePackage(sha);
  const stored = datastore.readFile(key);
  // A package is reused by its name only when its content still matches it (it is small).
  if (stored === undefined || !codePackageIntact(stored, sha)) {
    // The map first, so a package that exists always has its map.
    if (map) datastore.writeFile(`${key}.map`, Buffer.from(map.contents));
    datastore.writeFile(key, Buffer.from(js.contents));
  }
  const path = datastore.localPath(key);
  if (!path) throw new Error('code packages need a datastore with local paths');
  return { key, path };
}

/** The local path of a stored code package, after checking its content against its name. */
export function verifiedCodePackage(datastore: Datastore, key: string): string {
  const path = datastore.localPath(key);
  if (!path) throw new Error('code packages need a datastore with local paths');
  const sha = /^\.code\/([0-9a-f]+)\//.exec(key)?.[1];
  // The local file is what will run (for an object store, its cached copy).
  const bytes = existsSync(path) ? readFileSync(path) : undefined;
  if (!sha || !bytes || !codePackageIntact(bytes, sha)) {
    throw new DamagedError(`damaged code package ${path}: ${bytes ? 'its content does not match its hash' : 'it is missing'} (run the flow file again, or flowspec fsck --repair)`, path);
  }
  return path;
}
