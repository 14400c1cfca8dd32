// Not a flow: no CodeLens, no diagnostics.
export function add(a: number, b: number): number {
  return a + b;
}
