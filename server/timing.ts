// Every handler of the language server is timed ("hover took 3ms") and never throws: a failure is
// logged with its stack and answered with the handler's fallback.
import type { RemoteConsole } from 'vscode-languageserver';

export class HandlerTimer {
  constructor(private readonly console: RemoteConsole) {}

  log(message: string): void {
    this.console.log(message);
  }

  /** Times a handler; on error logs it and returns the fallback. */
  timed<T>(name: string, fallback: T, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } catch (e) {
      this.logFailure(name, e);
      return fallback;
    } finally {
      this.logTime(name, t0);
    }
  }

  /** `timed` for a handler that returns a promise. */
  async timedAsync<T>(name: string, fallback: T, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } catch (e) {
      this.logFailure(name, e);
      return fallback;
    } finally {
      this.logTime(name, t0);
    }
  }

  private logFailure(name: string, e: unknown): void {
    this.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }

  private logTime(name: string, t0: number): void {
    this.log(`${name} took ${Math.round(performance.now() - t0)}ms`);
  }
}
