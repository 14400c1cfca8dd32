// The totals line CI reads, printed by scripts/test.mjs for everything and by test/e2e/run.mjs for
// the VS Code suite: `N passed, N failed, N skipped`, then why tests were skipped, each reason once.

/**
 * @param {{ passed: number, failed: number, skipped?: number, skipReasons?: Record<string, number> }} totals
 * @returns {string}
 */
export function totalsLine({ passed, failed, skipped = 0, skipReasons = {} }) {
  const reasons = Object.entries(skipReasons).map(([why, n]) => `${n} because ${why}`);
  return `${passed} passed, ${failed} failed, ${skipped} skipped` + (reasons.length ? ` (${reasons.join('; ')})` : '');
}

/** Adds a suite's skip reasons to the running ones. */
export function addSkipReasons(into, from = {}) {
  for (const [why, n] of Object.entries(from)) into[why] = (into[why] ?? 0) + n;
  return into;
}
