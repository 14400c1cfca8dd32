// Loads a CommonJS file through V8's code cache: the compiled code of what a command used, kept in
// the user's cache folder under a stamp of the file's content and V8's version, so the next
// process deserializes it instead of parsing and compiling again. Used for the big bundles every
// command loads (the CLI itself, dist/cli.js → dist/cliMain.js; the analyzer, dist/analysis.js) and
// esbuild's API. A cache missing, rejected (another Node) or damaged is made again, at exit.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { constants as vmConstants, Script } from 'node:vm';
import { userCacheDir } from './userCache';

/**
 * Evaluates `file` as Node's require() would and returns its exports. `name` names the cache (one
 * per use: the CLI's commands and its task workers compile different functions of one file) and is
 * no other name followed by '-'; `stamp` must change whenever the file's content does (V8 checks
 * only the source's length).
 */
export function requireCached(file: string, name: string, stamp: string): unknown {
  const codeCache = join(userCacheDir(), 'code', `${name}-${stamp}-${process.versions.v8}.bin`);
  const cachedData = bestEffort(() => readFileSync(codeCache));
  const bytes = readFileSync(file);
  // ASCII (our bundles are, scripts/build.mjs) reads as Latin-1: a plain copy, where decoding UTF-8 cost ~20 ms for 14 MB.
  // A `#!` line becomes a comment of the same length, so lines and columns stay those of the file (and its source map).
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8').replace(/^#!/, '//');
  // The same wrapper as Node's own require(), so the file sees exports, require, module, __filename, __dirname.
  // importModuleDynamically: an `import()` in the file loads as it would under require() (without it,
  // V8 throws "A dynamic import callback was not specified"; the constant is in Node ≥ 20.12).
  const importModuleDynamically = vmConstants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new Script(Module.wrap(source), {
    filename: file,
    cachedData,
    ...(importModuleDynamically && { importModuleDynamically }),
  });
  const module = new Module(file);
  module.filename = file;
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  // Saved at exit, when the functions this command used have been compiled too (V8 compiles lazily);
  // unless another process that found none saved one meanwhile (the first to end keeps its own).
  if (!cachedData || script.cachedDataRejected)
    process.once('exit', () =>
      bestEffort(() => {
        if (!cachedData && existsSync(codeCache)) return;
        saveAtomically(codeCache, script.createCachedData());
        removeOtherStamps(codeCache, name);
      }),
    );
  return module.exports;
}

/**
 * Removes the caches of `name` under other stamps for this V8 (the analyzer's is ~10 MB: every
 * release, or every `npm run build` in development, would leave one behind). Another Node's stay.
 */
function removeOtherStamps(kept: string, name: string): void {
  const dir = dirname(kept);
  const sameV8 = `-${process.versions.v8}.bin`;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith(`${name}-`) && entry.endsWith(sameV8) && join(dir, entry) !== kept) bestEffort(() => rmSync(join(dir, entry)));
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
