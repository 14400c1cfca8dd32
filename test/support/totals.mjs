// The totals CI reads, printed by scripts/test.mjs for everything and by test/e2e/run.mjs for the
// VS Code suite: why tests were skipped (each reason once) on a line of its own, then the last line,
// `N passed, N failed, N skipped`, alone as CI's reader wants it.

/**
 * @param {{ passed: number, failed: number, skipped?: number, skipReasons?: Record<string, number> }} totals
 * @returns {string}
 */
export function totalsLine({ passed, failed, skipped = 0, skipReasons = {} }) {
  const reasons = Object.entries(skipReasons).map(([why, n]) => `${n} because ${why}`);
  const counts = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  return reasons.length ? `skipped: ${reasons.join('; ')}\n${counts}` : counts;
}

/** Adds a suite's skip reasons to the running ones. */
export function addSkipReasons(into, from = {}) {
  for (const [why, n] of Object.entries(from)) into[why] = (into[why] ?? 0) + n;
  return into;
}
