// The pre-run check: the analyzer's graph rules, the same ones `flowspec check` and the editor
// apply, so a flow the editor marks as broken is refused before any task runs. Loading the
// analyzer costs ~0.8 s (a 14 MB bundle), so verdicts are cached by the file's content, in a
// per-user cache folder (the verdict depends only on the text and the analyzer, not the datastore).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalDatastore } from '../runtime/datastore/local';
import type { StaticStep } from '../runtime/datastore/records';
import { UserError } from '../runtime/errors';
import { displayPath, LoadedFlow } from '../runtime/flowcode/loadFlow';
import type { FlowDiagnostic } from '../model/flowModel';
import { loadAnalyzer } from './loadAnalyzer';
import { refreshArtifactTypes, typesStillWritten, WrittenTypes } from './artifactTypes';

export interface Verdict {
  blocking: FlowDiagnostic[];
  other: FlowDiagnostic[];
  /** The flow's declared graph, for resume (what comes after a step) and @catchError (where to go on). */
  graph: Record<string, StaticStep>;
  /** The artifact declarations written with this verdict (a cached verdict rewrites them when they changed since). */
  types?: WrittenTypes[];
}

/** Identifies the analyzer build (written by scripts/build.mjs), so a new analyzer re-checks every file. */
function analyzerStamp(): string {
  try {
    return readFileSync(join(__dirname, 'analysis.stamp'), 'utf8');
  } catch {
    return 'source';
  }
}

function cache(): LocalDatastore {
  const dir = process.env.FLOWSPEC_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flowspec');
  return new LocalDatastore(dir);
}

export async function checkFlowFile(file: string, flowName: string): Promise<Verdict> {
  const text = readFileSync(file, 'utf8');
  const datastore = cache();
  // Keyed by the absolute path: the verdict records the declarations written beside this file, and
  // the same relative path in another project (every `flowspec init` has flows/hello.ts) is another file.
  const key = `check/${createHash('sha256')
    .update(`${analyzerStamp()}\0${flowName}\0${resolve(file)}\0${text}`)
    .digest('hex')}.json`;
  const cached = bestEffort(() => datastore.readJson<Verdict>(key));
  if (cached) {
    // A verdict cached before it recorded its types (undefined) cannot tell: regenerate once.
    if (!cached.types || !typesStillWritten(cached.types)) {
      cached.types = refreshArtifactTypes(loadAnalyzer(), [file]);
      bestEffort(() => datastore.writeJson(key, cached));
    }
    return cached;
  }
  const analysis = loadAnalyzer();
  const result = analysis.analyzeText(file, text);
  const types = refreshArtifactTypes(analysis, [file]);
  const mine = result.diagnostics.filter((d) => !d.flow || d.flow === flowName);
  const model = result.flows.find((f) => f.name === flowName);
  const graph: Record<string, StaticStep> = {};
  for (const step of model?.steps ?? []) {
    graph[step.name] = { kind: step.transition?.kind ?? 'end', targets: step.transition?.targets ?? [] };
  }
  const verdict: Verdict = {
    blocking: mine.filter((d) => d.blocksRun),
    other: mine.filter((d) => !d.blocksRun),
    graph,
    types,
  };
  bestEffort(() => datastore.writeJson(key, verdict));
  return verdict;
}

export function formatDiagnostic(file: string, d: FlowDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}

/** The cache only saves time: a folder that cannot be read or written must not stop a run. */
function bestEffort<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
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
