// Whether a value fits a parameter's type: the runtime's check (runtime/flow/parameters.ts) on a
// literal, and the same check on an artifact from its recorded type and preview, without loading
// its value. Only a type import, so the extension's "value from an earlier run" picker uses it
// without bundling the analyzer.
import type { ParameterType } from './flowModel';

/** The runtime's check of a value that is not a string. */
export function valueFits(type: ParameterType, value: unknown): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    default: return true;
  }
}

/** The same check from an artifact's recorded type (`number`, `Array(3)`, …) and preview. */
export function artifactFits(type: ParameterType, a: { type: string; preview: string }): boolean {
  switch (type) {
    case 'string': return a.type === 'string';
    case 'number': return a.type === 'number' && !/^-?(NaN|Infinity)$/.test(a.preview);
    case 'boolean': return a.type === 'boolean';
    default: return true;
  }
}
