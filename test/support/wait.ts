// Polling with a deadline, the one way tests wait (the mocha suites and the VS Code e2e suite):
// they wait for what they need to see, never a fixed time, and fail saying what they waited for
// and what they last saw when it does not come (so a poll cannot pass by timing out).

/** What a probe returns when the wait is over. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Polls `probe` (sync or async) every `everyMs` until it returns a truthy value; throws at the deadline. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000, everyMs = 50): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (last) return last as Truthy<T>;
    } catch (e) {
      // A probe that skips its test (mocha's this.skip(), skipBecause) did not fail: the skip goes through.
      if (e instanceof Error && e.name === 'PendingError') throw e;
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}` +
          (lastError ? `: ${String(lastError)}` : `; last value: ${JSON.stringify(last)?.slice(0, 500)}`),
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
