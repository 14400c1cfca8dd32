// The pre-run check: the analyzer's graph rules, the same ones `flowspec check` and the editor
// apply, so a flow the editor marks as broken is refused before any task runs. Loading the
// analyzer costs ~0.3 s, so verdicts are cached by the file's content.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Datastore } from '../datastore';
import type { FlowDiagnostic } from '../../server/analysis/model';

/** Codes that make a flow impossible to run; the others (data-flow findings) are only shown. */
const BLOCKING = new Set([
  'missing-start', 'missing-end', 'end-has-transition', 'missing-transition', 'unknown-step', 'invalid-transition',
  'not-a-join', 'join-needs-inputs', 'unjoined-branch', 'cycle', 'reserved-name', 'invalid-step-name', 'parameter-duplicate',
]);

export interface Verdict { blocking: FlowDiagnostic[]; other: FlowDiagnostic[] }

function analyzerStamp(): string {
  try {
    const s = statSync(join(__dirname, 'analysis.js'));
    return `${s.size}-${s.mtimeMs}`;
  } catch {
    return 'source';
  }
}

export async function checkFlowFile(file: string, flowName: string, datastore: Datastore): Promise<Verdict> {
  const text = readFileSync(file, 'utf8');
  const key = `.cache/check/${createHash('sha256').update(`${analyzerStamp()}\0${flowName}\0${file}\0${text}`).digest('hex')}.json`;
  const cached = datastore.readJson<Verdict>(key);
  if (cached) return cached;
  const analysis = await import('../../server/analysis');
  const result = analysis.analyzeText(file, text);
  const mine = result.diagnostics.filter((d) => !d.flow || d.flow === flowName);
  const verdict: Verdict = {
    blocking: mine.filter((d) => d.severity === 'error' && BLOCKING.has(d.code)),
    other: mine.filter((d) => !(d.severity === 'error' && BLOCKING.has(d.code))),
  };
  datastore.writeJson(key, verdict);
  return verdict;
}

export function formatDiagnostic(file: string, d: FlowDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}
