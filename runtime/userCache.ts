// The user's cache folder (FLOWSPEC_CACHE_DIR, else $XDG_CACHE_HOME/flowspec or ~/.cache/flowspec):
// what flowspec keeps between commands to go faster, shared by all of a user's projects — code
// packages downloaded from S3, the pre-run check's verdicts, the analyzer's compiled code, the
// bundles of the npm packages flows import (flowcode/deps.ts).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userCacheDir(): string {
  return process.env.FLOWSPEC_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flowspec');
}

/**
 * Identifies the analyzer build: dist/analysis.stamp, written by scripts/build.mjs beside the
 * bundles (read from this bundle's folder: dist/cliMain.js and dist/server.js share it), so a new
 * analyzer checks every file afresh. Undefined when run from the source.
 */
export function analyzerStamp(): string | undefined {
  return bundleStamp('analysis');
}

/** dist/NAME.stamp, the hash of dist/NAME.js that scripts/build.mjs writes beside it; undefined when there is none. */
export function bundleStamp(name: string): string | undefined {
  try {
    return readFileSync(join(__dirname, `${name}.stamp`), 'utf8');
  } catch {
    return undefined;
  }
}
