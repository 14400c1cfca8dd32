// One measured figure of a bench: printed as a line, and recorded (as a JSON line in the file named by
// FLOWSPEC_BENCH_FIGURES) when `npm run bench` runs the bench, to print every bench's figures in one table.
import { appendFileSync } from 'node:fs';

/** What a figure should be: at most / at least a value (in the figure's unit), or a goal said in words. */
export type Goal = { atMost: number } | { atLeast: number } | { words: string };

export interface Figure {
  name: string;
  value: number;
  unit: string;
  goal?: Goal;
  /** Context for the value (the other sizes, the worst of the runs...), shown beside it. */
  note?: string;
}

/** The environment variable the bench runner sets to the file the figures are recorded in. */
export const FIGURES_FILE_ENV = 'FLOWSPEC_BENCH_FIGURES';

export function figure(name: string, value: number, unit: string, goal?: Goal, note?: string): void {
  const f: Figure = { name, value, unit, goal, note };
  console.log(`${name.padEnd(60)} ${formatValue(f).padStart(12)}  ${goalText(f)}${note ? `  (${note})` : ''}`);
  const file = process.env[FIGURES_FILE_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(f)}\n`);
}

export function formatValue(f: Pick<Figure, 'value' | 'unit'>): string {
  const digits = Math.abs(f.value) >= 100 || Number.isInteger(f.value) ? 0 : Math.abs(f.value) >= 10 ? 1 : 2;
  return `${f.value.toFixed(digits)} ${f.unit}`;
}

export function goalText({ goal, unit }: Pick<Figure, 'goal' | 'unit'>): string {
  if (!goal) return '';
  if ('atMost' in goal) return `≤ ${goal.atMost} ${unit}`;
  if ('atLeast' in goal) return `≥ ${goal.atLeast} ${unit}`;
  return goal.words;
}

/** Whether a figure meets its goal; undefined when it has none, or one said in words. */
export function meetsGoal(f: Figure): boolean | undefined {
  if (!f.goal || 'words' in f.goal) return undefined;
  return 'atMost' in f.goal ? f.value <= f.goal.atMost : f.value >= f.goal.atLeast;
}

/** The median of some measurements (the middle one; the upper middle of an even count). */
export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}
