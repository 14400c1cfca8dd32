// Polling with a deadline: tests wait for what they need to see, never a fixed time, and fail
// saying what they waited for when it does not come (so a poll cannot pass by timing out).

export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
