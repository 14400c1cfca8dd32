// The Run prompts, vscode-dvc style: a QuickPick of how to run (last values, change, same as an
// earlier run), a multi-select QuickPick of which parameters to change, then one InputBox per
// parameter showing its type, default and help, validated as the user types.
// The UI is injected (PromptUi), so the whole dialogue is unit-tested with a scripted fake.
import {
  ParameterInfo, defaultToText, describeParameter, missingRequired, summarizeTexts, validateParameterText,
} from './parameters';

export interface PickItem<T> { label: string; description?: string; detail?: string; picked?: boolean; value: T }
export interface InputOptions {
  title: string;
  prompt: string;
  value: string;
  placeholder?: string;
  validate: (text: string) => string | undefined;
}
/** What the prompts need from the editor; `undefined` answers mean the user pressed Escape. */
export interface PromptUi {
  pick<T>(items: PickItem<T>[], options: { title: string; placeholder?: string }): Promise<T | undefined>;
  pickMany<T>(items: PickItem<T>[], options: { title: string; placeholder?: string }): Promise<T[] | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
}

/** An earlier run whose parameters can be reused. */
export interface PastRun { id: string; texts: Record<string, string>; detail?: string }

export interface PromptOptions {
  /** The values used last time for this flow (workspaceState), as texts. */
  remembered?: Record<string, string>;
  /** Recent runs of the flow, newest first. */
  pastRuns?: PastRun[];
}

type HowToRun = { kind: 'same' } | { kind: 'change' } | { kind: 'run'; run: PastRun };

/**
 * Asks for the parameter values of a run. Resolves to the texts the user set (name → text; names
 * left out take their default), or undefined when the user cancelled.
 */
export async function promptParameters(
  flow: string, params: ParameterInfo[], ui: PromptUi, options: PromptOptions = {},
): Promise<Record<string, string> | undefined> {
  if (!params.length) return {};
  const known = new Set(params.map((p) => p.name));
  let texts: Record<string, string> = Object.fromEntries(
    Object.entries(options.remembered ?? {}).filter(([k]) => known.has(k)));
  const pastRuns = (options.pastRuns ?? []).slice(0, 5);

  if (Object.keys(texts).length || pastRuns.length) {
    const items: PickItem<HowToRun>[] = [];
    if (!missingRequired(params, texts).length) {
      items.push({ label: '$(play) Run with these values', description: summarizeTexts(texts) || 'defaults', value: { kind: 'same' } });
    }
    items.push({ label: '$(edit) Change parameters…', description: `${params.length} parameter${params.length > 1 ? 's' : ''}`, value: { kind: 'change' } });
    for (const run of pastRuns) {
      items.push({ label: `$(history) Same parameters as run ${run.id}`, description: summarizeTexts(run.texts) || 'defaults', detail: run.detail, value: { kind: 'run', run } });
    }
    const how = await ui.pick(items, { title: `Run ${flow}`, placeholder: 'Parameters for this run' });
    if (!how) return undefined;
    if (how.kind === 'run') texts = { ...how.run.texts };
    if (how.kind !== 'change') {
      if (!missingRequired(params, texts).length) return texts;
    } else {
      const chosen = await chooseParameters(flow, params, texts, ui);
      if (!chosen) return undefined;
      return askEach(flow, params, unique([...chosen, ...missingRequired(params, texts)]), texts, ui);
    }
    return askEach(flow, params, missingRequired(params, texts), texts, ui);
  }

  const chosen = params.length === 1 ? params : await chooseParameters(flow, params, texts, ui);
  if (!chosen) return undefined;
  return askEach(flow, params, unique([...chosen, ...missingRequired(params, texts)]), texts, ui);
}

async function chooseParameters(flow: string, params: ParameterInfo[], texts: Record<string, string>, ui: PromptUi): Promise<ParameterInfo[] | undefined> {
  if (params.length === 1) return params;
  const missing = new Set(missingRequired(params, texts).map((p) => p.name));
  const items = params.map((p): PickItem<ParameterInfo> => ({
    label: p.name,
    description: p.name in texts ? `= ${texts[p.name]}` : missing.has(p.name) ? 'required' : `default ${defaultToText(p) || p.defaultText || '—'}`,
    detail: describeParameter(p),
    picked: missing.has(p.name),
    value: p,
  }));
  return ui.pickMany(items, { title: `Run ${flow}: parameters to change`, placeholder: 'Pick the parameters to set (the others keep their value)' });
}

async function askEach(flow: string, params: ParameterInfo[], ask: ParameterInfo[], texts: Record<string, string>, ui: PromptUi): Promise<Record<string, string> | undefined> {
  const out = { ...texts };
  // Ask in declaration order.
  const order = params.filter((p) => ask.includes(p));
  for (let i = 0; i < order.length; i++) {
    const p = order[i];
    const def = defaultToText(p);
    const answer = await ui.input({
      title: `Run ${flow} — ${p.name}${order.length > 1 ? ` (${i + 1}/${order.length})` : ''}`,
      prompt: describeParameter(p),
      value: out[p.name] ?? def,
      placeholder: def ? `default: ${def}` : p.required ? 'required' : 'empty for the default',
      validate: (text) => validateParameterText(p, text),
    });
    if (answer === undefined) return undefined;
    // Typing the default (or nothing) means "the default": the runtime applies it.
    if (answer.trim() === '' || (def !== '' && answer === def)) delete out[p.name];
    else out[p.name] = answer;
  }
  return out;
}

function unique<T>(xs: T[]): T[] { return [...new Set(xs)]; }
