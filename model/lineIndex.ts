// Offsets in a text ↔ zero-based line/character positions (UTF-16, like LSP): the params
// checks and the analyzer's navigation queries convert with it.
import type { Range } from './flowModel';

/** Offsets → zero-based line/character (UTF-16, like LSP). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offset(p: { line: number; character: number }): number {
    const start = this.starts[Math.min(p.line, this.starts.length - 1)] ?? 0;
    return start + p.character;
  }

  /** `[start, end]` offsets → a range. */
  range(r: readonly [number, number]): Range {
    return { start: this.position(r[0]), end: this.position(r[1]) };
  }
}
