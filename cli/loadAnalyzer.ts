// The analyzer (ts-morph + TypeScript) is its own bundle, dist/analysis.js (~14 MB), loaded only by
// the commands that need it. It is loaded with require(), not import(): Node's import() of a
// CommonJS file first scans all of its source for the names it exports, which added 1–2 s to every
// run of an edited flow file.
export function loadAnalyzer(): typeof import('../analyzer') {
  return require('../analyzer') as typeof import('../analyzer');
}
