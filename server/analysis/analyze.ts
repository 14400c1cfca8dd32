// The analyzer's entry point: document text in, flows and diagnostics out.
import type { AnalysisResult } from './model';
import { parseDocument } from './project';
import { mayContainFlow, parseFlows } from './parse';
import { validateFlow } from './rules';
import { makeIsIterable } from './typecheck';

export interface AnalyzeOptions {
  /**
   * Use the type checker for what syntax cannot tell (is a foreach target iterable?). It builds
   * a Program on first use, so it is lazy, and it can be turned off. Default true.
   */
  types?: boolean;
}

export function analyzeText(fileName: string, text: string, options: AnalyzeOptions = {}): AnalysisResult {
  if (!mayContainFlow(text)) return { flows: [], diagnostics: [] };
  const parsed = parseFlows(parseDocument(fileName, text).compilerNode);
  const isIterable = options.types === false ? undefined : makeIsIterable(parsed.assignedValues);
  const diagnostics = parsed.flows.flatMap((flow) => validateFlow(flow, { isIterable }));
  return { flows: parsed.flows, diagnostics };
}
