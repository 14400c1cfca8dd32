// Types of totals.mjs (the totals line of `npm test`), for the TypeScript tests.
export interface Totals {
  passed: number;
  failed: number;
  skipped?: number;
  skipReasons?: Record<string, number>;
}
export function totalsLine(totals: Totals): string;
export function addSkipReasons(into: Record<string, number>, from?: Record<string, number>): Record<string, number>;
