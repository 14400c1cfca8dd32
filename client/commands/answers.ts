// The parameters of a run, debug session or params file: taken from the command's arguments, or
// asked with the prompts (remembered per flow, offering earlier runs' values), and turned into CLI
// arguments — a temporary params file for answers that are refs to earlier runs.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { formatAge } from '../../model/format';
import {
  Answers,
  ConfigInfo,
  ParameterInfo,
  RefAnswer,
  configArgs,
  configFileChoices,
  describeRef,
  isRef,
  parameterArgs,
  textsFromRun,
  valueToText,
} from '../parameters';
import { refsParamsText } from '../paramsFile';
import { workingFolder } from '../config';
import { EarlierRuns, PastRun, PromptOptions, promptConfigFiles, promptParameters } from '../prompts';
import { vscodePromptUi } from '../promptUi';
import type { CommandContext } from './context';
import { saveFirst, Target } from './targets';

export interface ParameterArgs {
  parameters?: Record<string, unknown>;
  refs?: Record<string, RefAnswer>;
}

export interface RunParameters {
  args: string[];
  /** What the output should say about the parameters (where refs came from). */
  notes: string[];
  /** Removes the temporary params file once the run is over. */
  cleanup: () => Promise<void>;
}

/** Runs of the flow whose parameters the first prompt offers again. */
const PAST_RUNS = 5;

const rememberKey = (uri: vscode.Uri, flow: string) => `flowspec.params:${uri.toString()}#${flow}`;
const rememberConfigsKey = (uri: vscode.Uri, flow: string) => `flowspec.configs:${uri.toString()}#${flow}`;

/**
 * The CLI arguments for the parameters: `--name value` for literal answers, and `--params FILE`
 * with a temporary params file for the answers taken from earlier runs (refs), so the run records
 * where they came from. `cleanup` removes that file once the run is over.
 */
export async function runParameters(ctx: CommandContext, target: Target, arg?: ParameterArgs): Promise<RunParameters | undefined> {
  const params: ParameterInfo[] = target.flow.parameters;
  const given = await answers(ctx, target, arg);
  if (!given) return undefined;
  await saveFirst(target.uri);
  const declared = new Set(params.map((p) => p.name));
  // Values for names the flow does not declare are passed as given: the CLI says what is wrong.
  const extra = Object.entries(given)
    .filter(([k, v]) => !declared.has(k) && typeof v === 'string')
    .flatMap(([k, v]) => [`--${k}`, v as string]);
  let args: string[];
  try {
    args = [...parameterArgs(params, given), ...extra];
  } catch (e) {
    void vscode.window.showErrorMessage(`${target.flow.name}: ${(e as Error).message}`);
    return undefined;
  }
  const refs = refsParamsText(given);
  if (!refs) return { args, notes: [], cleanup: async () => undefined };
  const dir = await mkdtemp(path.join(tmpdir(), 'flowspec-params-'));
  const file = path.join(dir, 'params.json');
  await writeFile(file, refs);
  // Literal answers stay on the command line (they win over the file; there is no overlap anyway).
  // The file is gone after the run: the output says what it held (the run records it as each parameter's source).
  const notes = Object.entries(given)
    .filter(([, a]) => isRef(a))
    .map(([k, a]) => `${k} ← ${describeRef(a as RefAnswer)} (--params file)`);
  return { args: ['--params', file, ...args], notes, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The parameter answers: from the command's arguments, else from the prompts (remembered per flow). */
export async function answers(
  ctx: CommandContext,
  target: Target,
  arg?: ParameterArgs,
  prompt: Pick<PromptOptions, 'title' | 'accept'> = {},
): Promise<Answers | undefined> {
  const params: ParameterInfo[] = target.flow.parameters;
  if (arg?.parameters || arg?.refs) {
    return { ...Object.fromEntries(Object.entries(arg.parameters ?? {}).map(([k, v]) => [k, valueToText(v)])), ...(arg.refs ?? {}) };
  }
  const key = rememberKey(target.uri, target.flow.name);
  const runs = await ctx.store.runsFor(target.uri, target.flow.name, PAST_RUNS).catch(() => []);
  // A damaged run's parameters cannot be read: it has none to offer.
  const pastRuns: PastRun[] = runs
    .filter((r) => r.state !== 'damaged')
    .map((r) => ({
      id: r.id,
      texts: textsFromRun(params, r.parameters),
      detail: `${r.state} · ${r.createdAt !== undefined ? formatAge(new Date(r.createdAt)) : ''}`,
    }));
  const given = await promptParameters(target.flow.name, params, vscodePromptUi, {
    ...prompt,
    remembered: ctx.extension.workspaceState.get(key),
    pastRuns,
    earlierRuns: await earlierRuns(ctx, target.uri),
  });
  if (given) await ctx.extension.workspaceState.update(key, given);
  return given;
}

/**
 * "Value from an earlier run": the successful runs in the datastore the flow's runs use, read
 * when the user asks for them; offered when the datastore has runs at all.
 */
async function earlierRuns(ctx: CommandContext, file: vscode.Uri): Promise<EarlierRuns | undefined> {
  const root = await ctx.store.facts.datastoreRoot(workingFolder(file));
  const flows = await ctx.store.reader.request('flows', [root], 0).catch(() => []);
  if (!flows.length) return undefined;
  return {
    runs: () => ctx.store.reader.request('successfulRuns', root).catch(() => []),
    artifacts: (r) => ctx.store.reader.request('runArtifacts', root, r.flow, r.id).catch(() => []),
  };
}

/**
 * `--config NAME FILE` for the configs the user points at another file than the default: the
 * prompt offers the JSON/YAML files next to the flow (remembered per flow). [] for a flow without
 * configs or with nothing to choose; undefined when the user cancelled.
 */
export async function runConfigs(ctx: CommandContext, target: Target): Promise<string[] | undefined> {
  // A config whose name is computed cannot be named on the command line from here.
  const configs: ConfigInfo[] = (target.flow.configs ?? []).filter((c) => !c.computedName);
  if (!configs.length) return [];
  const flowDir = path.dirname(target.uri.fsPath);
  const files = await readdir(flowDir).catch(() => [] as string[]);
  const choices = configs.map((config) => ({ config, files: configFileChoices(config, files) }));
  const key = rememberConfigsKey(target.uri, target.flow.name);
  const chosen = await promptConfigFiles(target.flow.name, choices, vscodePromptUi, ctx.extension.workspaceState.get(key));
  if (!chosen) return undefined;
  await ctx.extension.workspaceState.update(key, chosen);
  // The CLI runs in the working folder: each file is given relative to it.
  const cwd = workingFolder(target.uri);
  return configArgs(configs, chosen, (file) => path.relative(cwd, path.join(flowDir, file)) || file);
}
