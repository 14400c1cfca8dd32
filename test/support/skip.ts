// A test or suite that cannot run on this machine says why: skipBecause() records the reason on
// the test (or, from a hook, on its suite), the count reporter and the e2e runner collect them, and
// scripts/test.mjs names each reason in its totals line (`N passed, N failed, N skipped (...)`).
import type { Context, Runnable, Suite, Test } from 'mocha';

type WithReason = { skipReason?: string };

/** Skips the running test, or the suite of the running hook, for `why` (one line: what is missing and how to get it). */
export function skipBecause(ctx: Context, why: string): never {
  const runnable = ctx.test as (Runnable & { type?: string }) | undefined;
  const target: WithReason | undefined = runnable?.type === 'hook' ? (runnable.parent as Suite & WithReason) : (runnable as WithReason);
  if (target) target.skipReason = why;
  ctx.skip();
}

/** Why a skipped test was skipped: its own reason, else its nearest suite's. */
export function skipReason(test: Test): string {
  for (let at: (Runnable | Suite) & WithReason = test; at; at = at.parent as Suite & WithReason) if (at.skipReason) return at.skipReason;
  return 'no reason given (skip with skipBecause from test/support/skip.ts)';
}

/** Each reason with the number of tests it skipped. */
export type SkipReasons = Record<string, number>;

/** Counts the reasons of the tests a mocha runner skips (its `pending` events). */
export function collectSkipReasons(runner: { on(event: 'pending', listener: (test: Test) => void): unknown }): SkipReasons {
  const reasons: SkipReasons = {};
  runner.on('pending', (test) => {
    const why = skipReason(test);
    reasons[why] = (reasons[why] ?? 0) + 1;
  });
  return reasons;
}
