// The Run prompts, vscode-dvc style: a QuickPick of how to run (last values, change, same as an
// earlier run), a multi-select QuickPick of which parameters to change, then one InputBox per
// parameter showing its type, default and help, validated as the user types. The InputBox has a
// button for a value from an earlier run: a QuickPick of successful runs (any flow), then of that
// run's artifacts whose type fits the parameter; the answer is then a ref (a params-file entry).
// A flow's configs get a QuickPick of the config files found next to the flow.
// The UI is injected (PromptUi), so the whole dialogue is unit-tested with a scripted fake.
import { artifactFits } from '../model/parameters';
import { runRef } from '../model/runRef';
import {
  Answer,
  Answers,
  ConfigInfo,
  ParameterInfo,
  RefAnswer,
  defaultToText,
  describeParameter,
  describeRef,
  isRef,
  missingRequired,
  summarizeTexts,
  validateParameterText,
} from './parameters';

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  picked?: boolean;
  value: T;
}
export interface InputButton {
  id: string;
  icon: string;
  tooltip: string;
}
export interface InputOptions {
  title: string;
  prompt: string;
  value: string;
  placeholder?: string;
  validate: (text: string) => string | undefined;
  /** Buttons in the InputBox's title bar; pressing one answers `{ button: id }`. */
  buttons?: InputButton[];
}
/** What the prompts need from the editor; `undefined` answers mean the user pressed Escape. */
export interface PromptUi {
  pick<T>(items: PickItem<T>[], options: { title: string; placeholder?: string }): Promise<T | undefined>;
  pickMany<T>(items: PickItem<T>[], options: { title: string; placeholder?: string }): Promise<T[] | undefined>;
  input(options: InputOptions): Promise<string | { button: string } | undefined>;
}

/** An earlier run whose parameters can be reused. */
export interface PastRun {
  id: string;
  texts: Answers;
  detail?: string;
}

/** A successful run of any flow, to take a parameter's value from. */
export interface RunChoice {
  flow: string;
  id: string;
  description?: string;
}
/** An artifact of such a run, by the path a ref names it with (`outputs.x`, `train.x`, `train[2].x`). */
export interface ArtifactChoice {
  path: string;
  task: string;
  type: string;
  preview: string;
}
/** Where "value from an earlier run" looks (the command reads the datastore with the client API). */
export interface EarlierRuns {
  /** Successful runs, newest first (asked when the user presses the button). */
  runs(): RunChoice[] | Promise<RunChoice[]>;
  artifacts(run: RunChoice): ArtifactChoice[] | Promise<ArtifactChoice[]>;
}

export interface PromptOptions {
  /** The values used last time for this flow (workspaceState): texts and refs. */
  remembered?: Answers;
  /** Recent runs of the flow, newest first. */
  pastRuns?: PastRun[];
  /** Offers a value from an earlier run for each parameter (when there are runs). */
  earlierRuns?: EarlierRuns;
  /** The dialogue's title (default `Run <flow>`) and its first choice (default `$(play) Run with these values`). */
  title?: string;
  accept?: string;
}

export const FROM_RUN_BUTTON: InputButton = { id: 'fromRun', icon: 'history', tooltip: 'Value from an earlier run…' };

type HowToRun = { kind: 'same' } | { kind: 'change' } | { kind: 'run'; run: PastRun };

/**
 * Asks for the parameter values of a run. Resolves to the texts the user set (name → text; names
 * left out take their default), or undefined when the user cancelled.
 */
export async function promptParameters(
  flow: string,
  params: ParameterInfo[],
  ui: PromptUi,
  options: PromptOptions = {},
): Promise<Answers | undefined> {
  if (!params.length) return {};
  const known = new Set(params.map((p) => p.name));
  let texts: Answers = Object.fromEntries(
    Object.entries(options.remembered ?? {}).filter(([k, v]) => known.has(k) && (typeof v === 'string' || isRef(v))),
  );
  const pastRuns = (options.pastRuns ?? []).slice(0, 5);
  const d: Dialogue = { flow, params, ui, title: options.title ?? `Run ${flow}`, earlierRuns: options.earlierRuns };

  if (Object.keys(texts).length || pastRuns.length) {
    const items: PickItem<HowToRun>[] = [];
    if (!missingRequired(params, texts).length) {
      items.push({
        label: options.accept ?? '$(play) Run with these values',
        description: summarizeTexts(texts) || 'defaults',
        value: { kind: 'same' },
      });
    }
    items.push({
      label: '$(edit) Change parameters…',
      description: `${params.length} parameter${params.length > 1 ? 's' : ''}`,
      value: { kind: 'change' },
    });
    for (const run of pastRuns) {
      items.push({
        label: `$(history) Same parameters as run ${run.id}`,
        description: summarizeTexts(run.texts) || 'defaults',
        detail: run.detail,
        value: { kind: 'run', run },
      });
    }
    const how = await ui.pick(items, { title: d.title, placeholder: 'Parameters for this run' });
    if (!how) return undefined;
    if (how.kind === 'run') texts = { ...how.run.texts };
    if (how.kind !== 'change') {
      if (!missingRequired(params, texts).length) return texts;
    } else {
      const chosen = await chooseParameters(d, texts);
      if (!chosen) return undefined;
      return askEach(d, unique([...chosen, ...missingRequired(params, texts)]), texts);
    }
    return askEach(d, missingRequired(params, texts), texts);
  }

  const chosen = params.length === 1 ? params : await chooseParameters(d, texts);
  if (!chosen) return undefined;
  return askEach(d, unique([...chosen, ...missingRequired(params, texts)]), texts);
}

interface Dialogue {
  flow: string;
  params: ParameterInfo[];
  ui: PromptUi;
  title: string;
  earlierRuns?: EarlierRuns;
}

const shown = (a: Answer) => (isRef(a) ? `← ${describeRef(a)}` : `= ${a}`);

async function chooseParameters({ params, ui, title }: Dialogue, texts: Answers): Promise<ParameterInfo[] | undefined> {
  if (params.length === 1) return params;
  const missing = new Set(missingRequired(params, texts).map((p) => p.name));
  const items = params.map((p): PickItem<ParameterInfo> => ({
    label: p.name,
    description:
      p.name in texts ? shown(texts[p.name]) : missing.has(p.name) ? 'required' : `default ${defaultToText(p) || p.defaultText || '—'}`,
    detail: describeParameter(p),
    picked: missing.has(p.name),
    value: p,
  }));
  return ui.pickMany(items, {
    title: `${title}: parameters to change`,
    placeholder: 'Pick the parameters to set (the others keep their value)',
  });
}

async function askEach(d: Dialogue, ask: ParameterInfo[], texts: Answers): Promise<Answers | undefined> {
  const out = { ...texts };
  // Ask in declaration order.
  const order = d.params.filter((p) => ask.includes(p));
  for (let i = 0; i < order.length; i++) {
    const p = order[i];
    const def = defaultToText(p);
    const current = out[p.name];
    const title = `${d.title} — ${p.name}${order.length > 1 ? ` (${i + 1}/${order.length})` : ''}`;
    for (;;) {
      const answer = await d.ui.input({
        title,
        prompt: describeParameter(p) + (isRef(current) ? ` · now ← ${describeRef(current)} (Enter keeps it)` : ''),
        // A ref shows as an empty box: Enter keeps it, typing replaces it with a literal.
        value: isRef(current) ? '' : (current ?? def),
        placeholder: isRef(current)
          ? `← ${describeRef(current)}`
          : def
            ? `default: ${def}`
            : p.required
              ? 'required'
              : 'empty for the default',
        validate: (text) => (isRef(current) && text.trim() === '' ? undefined : validateParameterText(p, text)),
        buttons: d.earlierRuns ? [FROM_RUN_BUTTON] : undefined,
      });
      if (answer === undefined) return undefined;
      if (typeof answer === 'object') {
        // Escape in the run or artifact picker comes back to this InputBox.
        const ref = d.earlierRuns && (await pickFromRun(d, p, d.earlierRuns));
        if (!ref) continue;
        out[p.name] = ref;
      } else if (isRef(current) && answer.trim() === '') {
        // keeps the ref
      } else if (answer.trim() === '' || (def !== '' && answer === def)) {
        // Typing the default (or nothing) means "the default": the runtime applies it.
        delete out[p.name];
      } else out[p.name] = answer;
      break;
    }
  }
  return out;
}

/**
 * "Value from an earlier run": a run (newest first, any flow), then one of its artifacts whose
 * recorded type fits the parameter (the language server's check of a ref). Escape in the artifact
 * list goes back to the runs; Escape in the runs answers undefined (back to the InputBox).
 */
async function pickFromRun(d: Dialogue, p: ParameterInfo, source: EarlierRuns): Promise<RefAnswer | undefined> {
  const runs = await source.runs();
  for (;;) {
    const runItems = runs.map((r): PickItem<RunChoice | 'back'> => ({
      label: `$(pass) ${r.flow}/${r.id}`,
      description: r.description,
      value: r,
    }));
    if (!runs.length) runItems.push({ label: '$(arrow-left) Back', description: 'no successful run in the datastore yet', value: 'back' });
    const run = await d.ui.pick(runItems, {
      title: `${d.title} — ${p.name} from an earlier run`,
      placeholder: `A successful run (newest first); then its artifact${p.type === 'json' || p.type === 'file' ? '' : ` of type ${p.type}`}. Escape: back`,
    });
    if (!run || run === 'back') return undefined;
    const all = await source.artifacts(run);
    const fitting = all.filter((a) => artifactFits(p.type, a));
    type Choice = ArtifactChoice | 'back';
    const items: PickItem<Choice>[] = fitting.map((a) => ({
      label: a.path,
      description: `${a.type} · ${a.preview}`,
      detail: a.task,
      value: a,
    }));
    if (!fitting.length) {
      items.push({
        label: '$(arrow-left) Back to the runs',
        description: `${run.flow}/${run.id} has no ${p.type} artifact${all.length ? ` (${all.length} of other types)` : ''}`,
        value: 'back',
      });
    }
    const hidden = all.length - fitting.length;
    const chosen = await d.ui.pick(items, {
      title: `${d.title} — ${p.name} ← ${run.flow}/${run.id}`,
      placeholder: `An artifact of ${run.flow}/${run.id}${hidden ? ` (${hidden} of other types hidden)` : ''}. Escape: back to the runs`,
    });
    if (!chosen || chosen === 'back') continue;
    return { ref: runRef(run.flow, run.id), value: chosen.path, task: chosen.task, preview: chosen.preview };
  }
}

/** A config of the flow and the files it may be read from (configFileChoices: its default first). */
export interface ConfigFileChoice {
  config: ConfigInfo;
  files: string[];
}

/**
 * The config files of a run: for each config with another file than its default to choose from, a
 * QuickPick of the files found next to the flow (the one chosen last time first, else the default).
 * Resolves to config name → file chosen (left out: no file, the config's defaultValue), or
 * undefined when the user pressed Escape.
 */
export async function promptConfigFiles(
  flow: string,
  choices: ConfigFileChoice[],
  ui: PromptUi,
  remembered: Record<string, string> = {},
): Promise<Record<string, string> | undefined> {
  const out: Record<string, string> = {};
  for (const { config, files } of choices) {
    const hasChoice = files.some((f) => f !== config.defaultFile) || (config.defaultFile === undefined && files.length > 0);
    if (!hasChoice) continue;
    const last = remembered[config.name];
    const order = last !== undefined && files.includes(last) ? [last, ...files.filter((f) => f !== last)] : files;
    const items: PickItem<string | null>[] = order.map((f) => ({
      label: `$(file) ${f}`,
      description: f === config.defaultFile ? 'default' : f === last ? 'last used' : undefined,
      value: f,
    }));
    if (config.defaultFile === undefined) items.push({ label: '$(circle-slash) No file', description: 'its default value', value: null });
    const file = await ui.pick(items, {
      title: `Run ${flow} — config ${config.name}`,
      placeholder: `The file config '${config.name}' is read from${config.help ? ` (${config.help})` : ''}`,
    });
    if (file === undefined) return undefined;
    if (file !== null) out[config.name] = file;
  }
  return out;
}

/** Where a run's tasks go: worker processes on this machine, or Slurm jobs (`run --with slurm`). */
export type RunWhere = 'local' | 'slurm';

/** Asked before the parameters when Slurm is at hand (sbatch on the PATH, or a `slurm` config section). */
export function promptWhere(flow: string, ui: PromptUi): Promise<RunWhere | undefined> {
  return ui.pick<RunWhere>(
    [
      { label: '$(play) Run locally', description: 'tasks on worker processes of this machine', value: 'local' },
      {
        label: '$(server-environment) Run on Slurm',
        description: 'each task a Slurm job (sbatch); a foreach is one job array',
        value: 'slurm',
      },
    ],
    { title: `Run ${flow}`, placeholder: 'Where the tasks run' },
  );
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
