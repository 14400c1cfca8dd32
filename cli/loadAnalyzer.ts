// The analyzer (ts-morph + TypeScript) is its own bundle, dist/analysis.js (~14 MB), loaded only by
// the commands that need it. Compiling it took ~0.2 s of every load, so it is loaded through V8's
// code cache: the compiled code, kept in the user's cache folder under the bundle's stamp and V8's
// version (a new build or a new Node compiles afresh and saves again, on its way out).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { analyzerStamp, userCacheDir } from '../runtime/userCache';

type Analyzer = typeof import('../analyzer');
let loaded: Analyzer | undefined;

export function loadAnalyzer(): Analyzer {
  loaded ??= analyzerStamp() === undefined ? fromSource() : fromBundle(join(__dirname, 'analysis.js'));
  return loaded;
}

/**
 * Run from the source (tests through tsx), there is no bundle. It is loaded with require(), not
 * import(): Node's import() of a CommonJS file first scans all of its source for the names it
 * exports, which added 1–2 s to every run of an edited flow file.
 */
function fromSource(): Analyzer {
  return require('../analyzer') as Analyzer;
}

function fromBundle(file: string): Analyzer {
  const codeCache = join(userCacheDir(), 'code', `analysis-${analyzerStamp()}-${process.versions.v8}.bin`);
  const cachedData = bestEffort(() => readFileSync(codeCache));
  // The same wrapper as Node's own require(), so the bundle sees exports, require, module, __filename, __dirname.
  // ASCII (scripts/build.mjs), so Latin-1 reads the same text: a plain copy, where decoding 14 MB of UTF-8 cost ~20 ms.
  const script = new Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData });
  const module = { exports: {} as Analyzer, filename: file, id: file };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  // Saved at exit, when the functions this command used have been compiled too (V8 compiles lazily).
  if (!cachedData || script.cachedDataRejected)
    process.once('exit', () =>
      bestEffort(() => {
        saveAtomically(codeCache, script.createCachedData());
        removeOtherBuilds(codeCache);
      }),
    );
  return module.exports;
}

/**
 * Removes the code caches of other builds of the analyzer for this V8 (~10 MB each: every release,
 * or every `npm run build` in development, would leave one behind). Another Node's stay.
 */
function removeOtherBuilds(kept: string): void {
  const dir = dirname(kept);
  const sameV8 = `-${process.versions.v8}.bin`;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('analysis-') && name.endsWith(sameV8) && join(dir, name) !== kept) bestEffort(() => rmSync(join(dir, name)));
  }
}

/** Written beside, then renamed: two commands saving at once never leave half a file for a third to read. */
function saveAtomically(file: string, data: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const part = `${file}.${process.pid}.part`;
  writeFileSync(part, data);
  renameSync(part, file);
}

/** The code cache only saves time: a cache folder that cannot be read or written must not stop a command. */
function bestEffort<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
