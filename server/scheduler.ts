// Debounced analysis per document. An edit (re)starts the document's timer; `flush()` runs every
// pending analysis at once and waits for those under way (tests call it through `flowspec/flush`
// instead of sleeping). A result is only published if the document has not changed since the
// analysis started (server.ts drops a stale one between its turns).
export class Scheduler {
  private timers = new Map<string, NodeJS.Timeout>();
  /** Analyses under way (they yield between turns), by document. */
  private running = new Set<Promise<void>>();

  constructor(
    private readonly delayMs: number,
    private readonly run: (uri: string) => void | Promise<void>,
  ) {}

  schedule(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.start(uri);
      }, this.delayMs),
    );
  }

  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  /** Runs every pending analysis now, and those they schedule (a flow file's params files); resolves when all are done. */
  async flush(): Promise<void> {
    for (let round = 0; round < 5 && (this.timers.size || this.running.size); round++) {
      for (const uri of [...this.timers.keys()]) {
        this.cancel(uri);
        void this.start(uri);
      }
      await Promise.all(this.running);
    }
  }

  get pending(): number {
    return this.timers.size;
  }

  private start(uri: string): Promise<void> {
    // `run` logs its own failures; a rejection must not escape as an unhandled one.
    const done: Promise<void> = Promise.resolve()
      .then(() => this.run(uri))
      .catch(() => undefined)
      .finally(() => this.running.delete(done));
    this.running.add(done);
    return done;
  }
}
