// Completion: step names after `this.next(... this.`, artifact names inside `foreach: '` and
// `condition: '`.
import { CompletionItem, CompletionItemKind, Position } from 'vscode-languageserver';
import { AnalysisResult, computeDataFlow, flowAt, stepAt } from '../../analyzer';

const NEXT_REF = /this\.next\((?:[^()]|\([^()]*\))*this\.([\w$]*)$/;
const ARTIFACT_STRING = /\b(foreach|condition)\s*:\s*['"`]([\w$]*)$/;

export function complete(result: AnalysisResult, textBefore: string, p: Position): CompletionItem[] {
  const flow = flowAt(result, p);
  if (!flow) return [];
  const tail = textBefore.slice(-500);
  if (NEXT_REF.test(tail)) {
    const current = stepAt(flow, p)?.name;
    return flow.steps
      .filter((s) => s.name !== current && s.name !== 'start')
      .map((s, i) => ({
        label: s.name,
        kind: CompletionItemKind.Method,
        detail: `step (${s.kind})`,
        documentation: s.doc,
        sortText: String(i).padStart(4, '0'),
      }));
  }
  const m = ARTIFACT_STRING.exec(tail);
  if (m) {
    const step = stepAt(flow, p);
    const names = new Map<string, string>();
    if (step) {
      for (const a of step.assigns) names.set(a, `assigned in ${step.name}`);
      const entry = computeDataFlow(flow).entry.get(step.name);
      for (const [a, st] of entry?.artifacts ?? [])
        if (st.sites.size && !names.has(a)) names.set(a, `assigned in ${[...st.sites].join(', ')}`);
    }
    for (const p2 of flow.parameters) if (!names.has(p2.field)) names.set(p2.field, `parameter (${p2.type})`);
    return [...names].map(([label, detail]) => ({ label, kind: CompletionItemKind.Field, detail }));
  }
  return [];
}
