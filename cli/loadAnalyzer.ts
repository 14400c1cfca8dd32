// The analyzer (ts-morph + TypeScript) is its own bundle, dist/analysis.js (~14 MB), loaded only by
// the commands that need it. Compiling it took ~0.2 s of every load, so it is loaded through V8's
// code cache (runtime/codeCache.ts), under the bundle's stamp.
import { join } from 'node:path';
import { requireCached } from '../runtime/codeCache';
import { analyzerStamp } from '../runtime/userCache';

type Analyzer = typeof import('../analyzer');
let loaded: Analyzer | undefined;

export function loadAnalyzer(): Analyzer {
  const stamp = analyzerStamp();
  loaded ??= stamp === undefined ? fromSource() : (requireCached(join(__dirname, 'analysis.js'), 'analysis', stamp) as Analyzer);
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
