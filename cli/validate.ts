// The pre-run check: the analyzer's graph rules, the same ones `flowspec check` and the editor
// apply, so a flow the editor marks as broken is refused before any task runs. Verdicts are cached
// by the file's content (runtime/checkCache.ts): the language server writes the one of a flow the
// editor runs, and a run writes its own. The artifact types are refreshed by a background process
// (`__refresh-types`), off the run's way: generating them builds a TypeScript program of the project (~1 s).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { UserError } from '../runtime/errors';
import { displayPath, LoadedFlow } from '../runtime/flowcode/loadFlow';
import type { StaticStep } from '../runtime/datastore/records';
import type { FlowDiagnostic } from '../model/flowModel';
import { readVerdict, Verdict, verdictKey, verdictOf, writeVerdict } from '../runtime/checkCache';
import { loadAnalyzer } from './loadAnalyzer';
import { typesStillWritten } from './artifactTypes';
import { typesProject } from '../model/artifactTypesFiles';

export async function checkFlowFile(file: string, flowName: string): Promise<Verdict> {
  const text = readFileSync(file, 'utf8');
  const key = verdictKey(flowName, file, text);
  const cached = readVerdict(key);
  if (cached) {
    debug(`the pre-run check of ${flowName}: a cached verdict`);
    // Another text's types may have been written since (an edit, then its undo): they are this text's again.
    if (!cached.types || !typesStillWritten(cached.types)) refreshTypesInBackground(file, flowName);
    return cached;
  }
  const started = performance.now();
  const verdict = verdictOf(loadAnalyzer().analyzeText(file, text), flowName);
  debug(`the pre-run check of ${flowName}: checked in ${Math.round(performance.now() - started)} ms`);
  writeVerdict(key, verdict);
  refreshTypesInBackground(file, flowName);
  return verdict;
}

/** Where the time of a run goes, with FLOWSPEC_DEBUG=1. */
function debug(line: string): void {
  if (process.env.FLOWSPEC_DEBUG === '1') process.stderr.write(`[debug] ${line}\n`);
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
export async function validateFlow(flow: LoadedFlow): Promise<Record<string, StaticStep>> {
  for (const required of ['start', 'end']) {
    if (!flow.info.steps.has(required))
      throw new UserError(`${flow.info.name} has no '${required}' step (add a @step ${required}() method)`);
  }
  const verdict = await checkFlowFile(flow.file, flow.info.name);
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
