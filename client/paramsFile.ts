// The prompt answers as a params file (`flowspec run FILE --params PFILE`, format in README.md):
// the file "Save as params file" writes next to the flow, and the temporary one a run gets for
// the answers taken from earlier runs (refs). Pure (no vscode import), unit-tested.
import * as path from 'node:path';
import { stringify } from 'yaml';
import { Answers, ParameterInfo, isRef, parseParameterText } from './parameters';

type Entry = { value: unknown } | { ref: string; value: string };

/** `flows/train.ts` → `flows/train.params.yaml` (the name the language server associates). */
export function paramsFileFor(flowFile: string): string {
  const { dir, name } = path.parse(flowFile);
  return path.join(dir, `${name}.params.yaml`);
}

/**
 * One entry per answered parameter, in declaration order: `value:` with the literal parsed to its
 * type (so `3` is a number and `true` a boolean in the file), or `ref:` + `value:`. Parameters
 * left at their default have no entry. Throws on a literal that does not parse (the prompts
 * validate first).
 */
export function paramsEntries(params: ParameterInfo[], answers: Answers): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  for (const p of params) {
    const a = answers[p.name];
    if (isRef(a)) out[p.name] = { ref: a.ref, value: a.value };
    else if (typeof a === 'string' && a.trim() !== '') out[p.name] = { value: parseParameterText(p, a) };
  }
  return out;
}

/**
 * The params file saved next to a flow: a header naming the flow (the language server checks the
 * file against it, and `run` refuses the file for another flow), then the entries as YAML.
 */
export function paramsFileText(flowFile: string, flow: string, params: ParameterInfo[], answers: Answers): string {
  const entries = paramsEntries(params, answers);
  const header = `# flowspec: ${path.basename(flowFile)} ${flow}\n`;
  return header + (Object.keys(entries).length ? stringify(entries) : '{}\n');
}

/** The temporary params file of a run whose answers include refs: only the refs (literals stay `--NAME VALUE`). */
export function refsParamsText(answers: Answers): string | undefined {
  const refs = Object.entries(answers)
    .filter(([, a]) => isRef(a))
    .map(([k, a]) => [k, { ref: (a as { ref: string }).ref, value: (a as { value: string }).value }]);
  return refs.length ? JSON.stringify(Object.fromEntries(refs), null, 2) + '\n' : undefined;
}
