// The pre-run check: the analyzer's graph rules, the same ones `flowspec check` and the editor
// apply, so a flow the editor marks as broken is refused before any task runs. Verdicts are cached
// by the file's content (runtime/checkCache.ts): the language server writes the one of a flow the
// editor runs, and a run writes its own. The artifact types are refreshed by a background process
// (`__refresh-types`), off the run's way: generating them builds a TypeScript program of the project (~1 s).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { resolve } from 'node:path';
import { UserError } from '../runtime/errors';
import { displayPath, LoadedFlow } from '../runtime/flowcode/loadFlow';
import type { StaticStep } from '../runtime/datastore/records';
import type { FlowDiagnostic } from '../model/flowModel';
import { CheckedFile, checkedFile, readVerdict, Verdict, verdictKey, verdictOf, writeVerdict } from '../runtime/checkCache';
import { declaredFlows } from '../runtime/flowcode/bundle';
import { loadAnalyzer } from './loadAnalyzer';
import { typesStillWritten } from './artifactTypes';
import { typesProject } from '../model/artifactTypesFiles';

/**
 * A pre-run check begun before the flow is bundled and loaded (`beginCheck`): the text it read, the
 * flow it guessed, that flow's cached verdict, or else the file's analysis under way elsewhere.
 */
export interface EarlyCheck {
  text: string;
  flowName?: string;
  cached?: Verdict;
  analysis?: Promise<CheckedFile>;
}

/**
 * Looks up the verdict of `file`'s flow (`flowName`, else the one flow class its text declares) and,
 * when there is none and `analyzeElsewhere` is given (a warm worker of the run's pool), starts the
 * analysis there, so that it overlaps bundling and loading the flow. Undefined when the file cannot
 * be read (the bundle says why).
 */
export function beginCheck(
  file: string,
  flowName: string | undefined,
  analyzeElsewhere?: (file: string, text: string) => Promise<CheckedFile>,
): EarlyCheck | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const flows = declaredFlows(text);
  const guess = flowName ?? (flows.length === 1 ? flows[0] : undefined);
  const cached = guess === undefined ? undefined : readVerdict(verdictKey(guess, file, text));
  if (cached || !analyzeElsewhere) return { text, flowName: guess, cached };
  const analysis = analyzeElsewhere(resolve(file), text);
  // Awaited by checkFlowFile, unless the flow fails to load first.
  analysis.catch(() => undefined);
  return { text, flowName: guess, analysis };
}

export async function checkFlowFile(file: string, flowName: string, early?: EarlyCheck): Promise<Verdict> {
  const text = readFileSync(file, 'utf8');
  // What was begun early holds only if the file has not changed since.
  const begun = early?.text === text ? early : undefined;
  const key = verdictKey(flowName, file, text);
  const cached = begun?.flowName === flowName && begun.cached ? begun.cached : readVerdict(key);
  if (cached) {
    debug(`the pre-run check of ${flowName}: a cached verdict`);
    // Another text's types may have been written since (an edit, then its undo): they are this text's again.
    if (!cached.types || !typesStillWritten(cached.types)) refreshTypesInBackground(file, flowName);
    return cached;
  }
  const started = performance.now();
  const elsewhere = begun?.analysis && (await begun.analysis.catch(() => undefined));
  const verdict = verdictOf(elsewhere ?? checkedFile(loadAnalyzer().analyzeText(file, text)), flowName);
  const ms = Math.round(performance.now() - started);
  debug(`the pre-run check of ${flowName}: ${elsewhere ? `checked by a pool worker, ${ms} ms waited` : `checked in ${ms} ms`}`);
  writeVerdict(key, verdict);
  refreshTypesInBackground(file, flowName);
  return verdict;
}

/** Where the time of a run goes, with FLOWSPEC_DEBUG=1: each line says when (ms since the process started) and this process's CPU time so far. */
export function debug(line: string): void {
  if (process.env.FLOWSPEC_DEBUG !== '1') return;
  const { user, system } = process.cpuUsage();
  process.stderr.write(`[debug] ${Math.round(performance.now())} ms, CPU ${Math.round((user + system) / 1000)} ms: ${line}\n`);
}

/** Below the run's processes, yet not starved on a busy machine (at 19 a refresh took over 30 s under a load average of 15). */
const BACKGROUND_NICE = 10;

/**
 * `flowspec __refresh-types FILE FLOW`, detached and at a low priority (nice 10), so it neither delays the run
 * nor holds the terminal; it records the declarations it wrote in the verdict (cli/commands/refresh-types.ts).
 */
function refreshTypesInBackground(file: string, flowName: string): void {
  // A project whose tsconfig does not include the types folder gets none from a run (as before).
  if (!typesProject(file).includesTypes) return;
  try {
    const child = spawn(process.execPath, [process.argv[1], '__refresh-types', file, flowName], {
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
    });
    child.on('error', () => undefined);
    if (child.pid) setPriority(child.pid, BACKGROUND_NICE);
    child.unref();
  } catch {
    // The types are a convenience: `flowspec types` writes them at once.
  }
}

export function formatDiagnostic(file: string, d: FlowDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}

/**
 * Refuses a flow whose graph the analyzer finds broken; prints the other findings as warnings
 * (a data-flow error the editor shows is a warning of the run: see analyzer/rules/codes.ts).
 * Returns the declared graph.
 */
export async function validateFlow(flow: LoadedFlow, early?: EarlyCheck): Promise<Record<string, StaticStep>> {
  for (const required of ['start', 'end']) {
    if (!flow.info.steps.has(required))
      throw new UserError(`${flow.info.name} has no '${required}' step (add a @step ${required}() method)`);
  }
  const verdict = await checkFlowFile(flow.file, flow.info.name, early);
  const shown = displayPath(flow.file);
  if (verdict.blocking.length) {
    throw new UserError(`${flow.info.name} cannot run:\n${verdict.blocking.map((d) => `  ${formatDiagnostic(shown, d)}`).join('\n')}`);
  }
  // A finding that does not block the run is a warning here, whatever the editor calls it: a line
  // saying "error" above a run that goes on would contradict itself.
  for (const d of verdict.other) process.stderr.write(`${formatDiagnostic(shown, { ...d, severity: 'warning' })}\n`);
  for (const [name, step] of flow.info.steps) {
    if (step.meta.catchError && verdict.graph[name]?.kind === 'foreach') {
      throw new UserError(
        `step '${name}' of ${flow.info.name}: @catchError cannot be used on a foreach split (a caught failure would leave nothing to iterate)`,
      );
    }
  }
  return verdict.graph;
}
