// Debounced analysis per document. An edit (re)starts the document's timer; `flush()` runs every
// pending analysis at once (tests call it through `flowspec/flush` instead of sleeping). A result
// is only published if the document has not changed since the analysis started.
export class Scheduler {
  private timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly delayMs: number, private readonly run: (uri: string) => void) {}

  schedule(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.run(uri);
    }, this.delayMs));
  }

  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  /** Runs every pending analysis now, and those they schedule (a flow file's params files). */
  flush(): void {
    for (let round = 0; round < 5 && this.timers.size; round++) {
      for (const uri of [...this.timers.keys()]) {
        this.cancel(uri);
        this.run(uri);
      }
    }
  }

  get pending(): number {
    return this.timers.size;
  }
}
