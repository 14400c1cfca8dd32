// The analyzer's entry point: document text in, flows and diagnostics out.
import type { AnalysisResult } from '../model/flowModel';
import { parseDocument } from './project';
import { mayContainFlow, parseFlows } from './parse';
import { validateFlow } from './rules';
import { makeIsIterable } from './typecheck';

export interface AnalyzeOptions {
  /**
   * Use the type checker for what syntax cannot tell (is a foreach target iterable?). It builds
   * a Program on first use, so it is lazy. true (default): ask it; false: never; 'cached': only
   * reuse earlier answers and set `typesPending` when one is missing (the server's fast pass).
   */
  types?: boolean | 'cached';
}

export function analyzeText(fileName: string, text: string, options: AnalyzeOptions = {}): AnalysisResult {
  if (!mayContainFlow(text)) return { flows: [], diagnostics: [] };
  const parsed = parseFlows(parseDocument(fileName, text).compilerNode);
  const types = options.types ?? true;
  const oracle = types === false ? undefined : makeIsIterable(fileName, parsed.assignedValues, types);
  const isIterable = oracle && ((a: Parameters<typeof oracle.isIterable>[0]) => oracle.isIterable(a));
  const diagnostics = parsed.flows.filter((f) => !f.base).flatMap((flow) => validateFlow(flow, { isIterable }));
  return { flows: parsed.flows, diagnostics, ...(oracle?.missed ? { typesPending: true } : {}) };
}
