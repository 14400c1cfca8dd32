// The analyzer's entry point: document text in, flows and diagnostics out.
import type { AnalysisResult } from '../model/flowModel';
import { parseDocument } from './project';
import { mayContainFlow, parseFlows, ParsedFile } from './parse';
import { validateFlow } from './rules';
import { makeIsIterable } from './typecheck';
import { isStackOverflow } from './syntax';
import { fileTooDeep, stepTooDeep } from './limits';

export interface AnalyzeOptions {
  /**
   * Use the type checker for what syntax cannot tell (is a foreach target iterable?). It builds
   * a Program on first use, so it is lazy. true (default): ask it; false: never; 'cached': only
   * reuse earlier answers and set `typesPending` when one is missing (the server's fast pass).
   */
  types?: boolean | 'cached';
}

export function analyzeText(fileName: string, text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const turns = analysisTurns(fileName, text, options);
  for (;;) {
    const r = turns.next();
    if (r.done) return r.value;
  }
}

/**
 * `analyzeText` in turns: it yields between parsing, reading the flows and checking each flow, so
 * the language server can let newer edits in and drop an analysis they made stale.
 */
export function* analysisTurns(fileName: string, text: string, options: AnalyzeOptions = {}): Generator<void, AnalysisResult, void> {
  if (!mayContainFlow(text)) return { flows: [], diagnostics: [] };
  let parsed: ParsedFile;
  try {
    const sf = parseDocument(fileName, text).compilerNode;
    yield;
    parsed = parseFlows(sf);
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    return { flows: [], diagnostics: [fileTooDeep()] };
  }
  yield;
  const types = options.types ?? true;
  const oracle = types === false ? undefined : makeIsIterable(fileName, parsed.assignedValues, types);
  const isIterable = oracle && ((a: Parameters<typeof oracle.isIterable>[0]) => oracle.isIterable(a));
  const diagnostics = parsed.tooDeep.map((s) => stepTooDeep(s.flow, s.step, s.range));
  for (const flow of parsed.flows.filter((f) => !f.base)) {
    diagnostics.push(...validateFlow(flow, { isIterable, file: fileName }));
    yield;
  }
  return { flows: parsed.flows, diagnostics, ...(oracle?.missed ? { typesPending: true } : {}) };
}
