// The compact form of `flowspec step --input-paths` that a remote engine can fill in without
// knowing how many tasks a foreach made (see docs/scale-out.md):
//
//   RUN/STEP/TASK                one input task
//   RUN/STEP/PREFIX[0,1,2]       one input per split index: PREFIX0, PREFIX1, PREFIX2 (the JSON list
//                                of indices is what the split task wrote as its output parameter)
//   A|B                          alternatives, element by element: the one whose task exists (the
//                                steps after a switch, of which only one ran)
//   P,Q                          several inputs (a static join)
//
// Plain comma-separated paths, what the local scheduler passes, mean what they always did.

/** Expands the compact form; `exists(path)` says whether a task record is there. */
export function expandInputPaths(spec: string, exists: (path: string) => boolean): string[] {
  return splitTopLevel(spec).flatMap((item) => {
    const alternatives = item.split('|').map(expandIndices);
    if (alternatives.length === 1) return alternatives[0];
    const length = Math.max(...alternatives.map((a) => a.length));
    if (alternatives.some((a) => a.length !== length)) throw new Error(`alternatives in '${item}' have different lengths`);
    return Array.from({ length }, (_, i) => {
      const found = alternatives.map((a) => a[i]).find(exists);
      if (!found) throw new Error(`none of the input tasks ${alternatives.map((a) => a[i]).join(' | ')} exists`);
      return found;
    });
  });
}

/** Splits at commas outside `[...]`. */
function splitTopLevel(spec: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of spec) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      if (current) out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (current) out.push(current);
  return out;
}

function expandIndices(path: string): string[] {
  const m = /^(.*)(\[[^\]]*\])$/.exec(path);
  if (!m) return [path];
  let indices: unknown;
  try {
    indices = JSON.parse(m[2]);
  } catch {
    indices = undefined;
  }
  if (!Array.isArray(indices) || !indices.every((i) => Number.isInteger(i) || (typeof i === 'string' && /^\d+$/.test(i)))) {
    throw new Error(`'${m[2]}' in input path '${path}' is not a JSON list of split indices`);
  }
  return indices.map((i) => `${m[1]}${i}`);
}
