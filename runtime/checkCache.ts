// The pre-run check's verdicts, cached in the user's cache folder: `flowspec run` (cli/validate.ts)
// reads one before it checks a flow itself, and writes what it found; the language server writes
// the verdict of the analysis it already holds when the editor is about to run a flow, so ▶ Run
// skips loading the analyzer. A verdict depends only on the analyzer's build, the flow, the file's
// absolute path and its text, which key it (not on the datastore).
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { AnalysisResult, FlowDiagnostic, TransitionModel } from '../model/flowModel';
import { LocalDatastore } from './datastore/local';
import type { StaticStep } from './datastore/records';
import { analyzerStamp, userCacheDir } from './userCache';

/** A generated declaration file and the hash of the text written to it ('' where there is none). */
export interface WrittenTypes {
  out: string;
  hash: string;
}

export interface Verdict {
  blocking: FlowDiagnostic[];
  other: FlowDiagnostic[];
  /** The flow's declared graph, for resume (what comes after a step) and @catchError (where to go on). */
  graph: Record<string, StaticStep>;
  /**
   * The artifact declarations written for this text (recorded once they are: the run refreshes them
   * in the background); a cached verdict without them, or whose files changed since, refreshes them again.
   * The language server's verdicts record none: its own writer keeps an open document's types fresh.
   */
  types?: WrittenTypes[];
}

/**
 * The part of a file's analysis the pre-run check reads, as plain data: what a pool's worker answers
 * when it checked the file for `flowspec run` (cli/validate.ts), before the flow was even loaded.
 */
export interface CheckedFile {
  diagnostics: FlowDiagnostic[];
  flows: Array<{ name: string; steps: Array<{ name: string; transition: Pick<TransitionModel, 'kind' | 'targets'> | null }> }>;
}

export function checkedFile(result: AnalysisResult): CheckedFile {
  return {
    diagnostics: result.diagnostics,
    flows: result.flows.map((f) => ({
      name: f.name,
      steps: f.steps.map((s) => ({ name: s.name, transition: s.transition && { kind: s.transition.kind, targets: s.transition.targets } })),
    })),
  };
}

/** What the analysis of a file says about running one of its flows. */
export function verdictOf(result: CheckedFile, flowName: string): Verdict {
  const mine = result.diagnostics.filter((d) => !d.flow || d.flow === flowName);
  const graph: Record<string, StaticStep> = {};
  for (const step of result.flows.find((f) => f.name === flowName)?.steps ?? []) {
    graph[step.name] = { kind: step.transition?.kind ?? 'end', targets: step.transition?.targets ?? [] };
  }
  return { blocking: mine.filter((d) => d.blocksRun), other: mine.filter((d) => !d.blocksRun), graph };
}

/**
 * Keyed by the absolute path: the verdict records the declarations written beside this file, and
 * the same relative path in another project (every `flowspec init` has flows/hello.ts) is another file.
 */
export function verdictKey(flowName: string, file: string, text: string): string {
  const hash = createHash('sha256').update(`${analyzerStamp() ?? 'source'}\0${flowName}\0${resolve(file)}\0${text}`);
  return `check/${hash.digest('hex')}.json`;
}

const cache = () => new LocalDatastore(userCacheDir());

export function readVerdict(key: string): Verdict | undefined {
  return bestEffort(() => cache().readJson<Verdict>(key));
}

export function writeVerdict(key: string, verdict: Verdict): void {
  bestEffort(() => cache().writeJson(key, verdict));
}

/** The cache only saves time: a folder that cannot be read or written must not stop a run. */
function bestEffort<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
