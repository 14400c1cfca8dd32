// Writes a run's lines to stdout and stderr in the order they come, gathered for a few
// milliseconds into one write per stream change: a foreach of 10,000 prints 20,000 lines, and one
// write each (a wake-up of the terminal or pipe reading them) was most of the scheduler's own
// time. `flush()` before anything written around it (the run's end).

/** How long a line may wait for others: less than a person notices. */
const GATHER_MS = 20;
/** Written at once beyond this many characters. */
const MAX_PENDING = 64 * 1024;

export class LineWriter {
  private pending: Array<{ stream: 'stdout' | 'stderr'; text: string }> = [];
  private size = 0;
  private scheduled: NodeJS.Timeout | undefined;

  constructor(private readonly streams: Record<'stdout' | 'stderr', NodeJS.WritableStream> = process) {}

  /** Queues one line (a newline is added). */
  line(stream: 'stdout' | 'stderr', text: string): void {
    const last = this.pending[this.pending.length - 1];
    if (last?.stream === stream) last.text += `${text}\n`;
    else this.pending.push({ stream, text: `${text}\n` });
    this.size += text.length + 1;
    if (this.size > MAX_PENDING) this.flush();
    else this.scheduled ??= setTimeout(() => this.flush(), GATHER_MS);
  }

  /** Writes what is queued, in order. */
  flush(): void {
    clearTimeout(this.scheduled);
    this.scheduled = undefined;
    const pending = this.pending;
    this.pending = [];
    this.size = 0;
    for (const { stream, text } of pending) this.streams[stream].write(text);
  }
}
