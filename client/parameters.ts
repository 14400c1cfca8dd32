// Parameter values as the user types them: validation, display and the CLI arguments they become.
// Pure functions (no vscode import), unit-tested in test/client/parameters.test.ts.
import type { ConfigModel, ParameterModel } from '../model/flowModel';
import { isParamsFileName } from '../runtime/params/document';
import { parseParameterText as parseText } from '../model/parameters';

/** The parts of a parameter the prompts need (the server's ParameterModel has more). */
export type ParameterInfo = Pick<ParameterModel, 'name' | 'type' | 'required' | 'help' | 'default' | 'defaultText'>;

/**
 * A value taken from an artifact of an earlier run: a params-file `ref` entry
 * (`ref: flows.<Flow>.<RUN_ID>`, `value: outputs.<artifact>` | `<step>.<artifact>` | `<step>[i].<artifact>`).
 * `task` and `preview` only say what it resolved to when it was picked, for display.
 */
export interface RefAnswer {
  ref: string;
  value: string;
  task?: string;
  preview?: string;
}
/** A parameter's answer: the text as typed, or a ref. */
export type Answer = string | RefAnswer;
export type Answers = Record<string, Answer>;

export function isRef(a: Answer | undefined): a is RefAnswer {
  return typeof a === 'object' && a !== null && typeof a.ref === 'string' && typeof a.value === 'string';
}

/** "ProducerFlow/3 outputs.total" (from `flows.ProducerFlow.3`; `runs.<ID>` refs as they are). */
export function describeRef(a: RefAnswer): string {
  const m = /^flows\.([^.]+)\.(.+)$/.exec(a.ref);
  return `${m ? `${m[1]}/${m[2]}` : a.ref} ${a.value}`;
}

/** The literal answers (texts) and the refs, apart. */
export function splitAnswers(answers: Answers): { texts: Record<string, string>; refs: Record<string, RefAnswer> } {
  const texts: Record<string, string> = {};
  const refs: Record<string, RefAnswer> = {};
  for (const [k, a] of Object.entries(answers)) {
    if (isRef(a)) refs[k] = { ref: a.ref, value: a.value };
    else if (typeof a === 'string') texts[k] = a;
  }
  return { texts, refs };
}

/** Parses the text typed for a parameter into its value, as the runtime will; throws with a user-facing message. */
export function parseParameterText(p: ParameterInfo, text: string): unknown {
  return parseText(p.type, text);
}

/**
 * The validation message for an InputBox as the user types (undefined = valid). An empty answer
 * means "use the default", which is fine unless the parameter is required and has no default.
 */
export function validateParameterText(p: ParameterInfo, text: string): string | undefined {
  if (text.trim() === '') {
    if (hasDefault(p)) return undefined;
    if (p.required) return `${p.name} is required`;
    return undefined;
  }
  try {
    parseParameterText(p, text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function hasDefault(p: ParameterInfo): boolean {
  return p.default !== undefined || (p.defaultText !== undefined && p.defaultText !== '');
}

/** A value as the user would type it back (the inverse of parseParameterText). */
export function valueToText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

/** The default as the InputBox shows it ('' when the analyzer could not read it as a literal). */
export function defaultToText(p: ParameterInfo): string {
  if (p.default !== undefined) {
    // A JSON parameter's default may be written as a JSON string: show the JSON itself.
    if (p.type === 'json' && typeof p.default === 'string') return p.default;
    return valueToText(p.default);
  }
  return '';
}

/** "number, default 0.01 — Learning rate" */
export function describeParameter(p: ParameterInfo): string {
  const parts: string[] = [p.type];
  if (p.required) parts.push('required');
  // A JSON parameter's default is JSON already (written as a string or a value): shown once, as JSON.
  if (p.default !== undefined) parts.push(`default ${p.type === 'json' ? defaultToText(p) : JSON.stringify(p.default)}`);
  else if (p.defaultText) parts.push(`default ${p.defaultText}`);
  return parts.join(', ') + (p.help ? ` — ${p.help}` : '');
}

/**
 * The `--name value` arguments for the values the user set (texts as typed, already validated).
 * Refs are not arguments: they go to a params file (paramsFile.ts).
 */
export function parameterArgs(params: ParameterInfo[], texts: Answers): string[] {
  const args: string[] = [];
  for (const p of params) {
    const t = texts[p.name];
    if (typeof t !== 'string' || t.trim() === '') continue; // a ref, or the runtime applies the default
    const v = parseParameterText(p, t);
    args.push(`--${p.name}`, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return args;
}

/** The parameters still missing a value: required, no default, nothing typed and no ref. */
export function missingRequired(params: ParameterInfo[], texts: Answers): ParameterInfo[] {
  return params.filter((p) => p.required && !hasDefault(p) && !isRef(texts[p.name]) && !String(texts[p.name] ?? '').trim());
}

/**
 * The texts of a past run's parameter values (Run.parameters: name → value), restricted to the
 * parameters the flow declares now, so "same parameters as run N" never passes unknown ones.
 */
export function textsFromRun(params: ParameterInfo[], values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    if (!(p.name in values) || p.type === 'file') continue;
    const v = values[p.name];
    out[p.name] = p.type === 'json' ? JSON.stringify(v) : valueToText(v);
  }
  return out;
}

/** "greeting=hello, times=3, total ← ProducerFlow/3 outputs.total" (for QuickPick descriptions and tree tooltips). */
export function summarizeTexts(texts: Answers, max = 80): string {
  const s = Object.entries(texts)
    .map(([k, v]) => (isRef(v) ? `${k} ← ${describeRef(v)}` : `${k}=${v}`))
    .join(', ');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** The parts of a config the Run prompt needs (the server's ConfigModel). */
export type ConfigInfo = Pick<ConfigModel, 'name' | 'defaultFile' | 'format' | 'help'>;

/** Files that are not configs whatever their extension: the project's own and params files. */
const NOT_CONFIG_FILES =
  /^(package(-lock)?\.json|tsconfig(\..*)?\.json|jsconfig\.json|flowspec\.config\.json|\.eslintrc\..*|\.prettierrc.*|pnpm-lock\.yaml|.*\.expected\.json)$/i;

/**
 * The files a config may be read from, of those found next to the flow (paths relative to it):
 * JSON for a JSON config, YAML for a YAML one, any of both for a parser of the flow's own; the
 * default file first, then by name. Project files and params files are left out.
 */
export function configFileChoices(config: ConfigInfo, files: string[]): string[] {
  const extensions = config.format === 'json' ? /\.json$/i : config.format === 'yaml' ? /\.ya?ml$/i : /\.(json|ya?ml)$/i;
  const name = (f: string) => f.split(/[\\/]/).pop()!;
  const found = files.filter((f) => extensions.test(f) && !NOT_CONFIG_FILES.test(name(f)) && !isParamsFileName(name(f))).sort();
  const byDefault = config.defaultFile !== undefined ? found.filter((f) => f === config.defaultFile) : [];
  return [...byDefault, ...found.filter((f) => !byDefault.includes(f))];
}

/**
 * `--config NAME FILE` for each config given a file other than its default; `where` turns a file
 * as chosen (relative to the flow) into the path the CLI is given.
 */
export function configArgs(configs: ConfigInfo[], chosen: Record<string, string>, where: (file: string) => string): string[] {
  return configs.flatMap((c) =>
    chosen[c.name] !== undefined && chosen[c.name] !== c.defaultFile ? ['--config', c.name, where(chosen[c.name])] : [],
  );
}
