// The CLI's tables (`runs`, `card list`): each column as wide as its widest cell, two spaces
// between columns, no blanks at the end of a line.

/** A cell that may run past its column without widening it (a damaged run's one-line message). */
export type Spills = (row: string[], column: number) => boolean;

export function formatTable(table: string[][], spills: Spills = () => false): string {
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => (spills(row, i) ? 0 : row[i].length))));
  return table
    .map(
      (row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd() + '\n',
    )
    .join('');
}
