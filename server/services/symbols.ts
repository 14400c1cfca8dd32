// Document symbols: flows → parameters and steps.
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import type { AnalysisResult } from '../../analyzer';

export function documentSymbols(result: AnalysisResult): DocumentSymbol[] {
  return result.flows.map((f) => ({
    name: f.name,
    detail: 'flow',
    kind: SymbolKind.Class,
    range: f.fullRange,
    selectionRange: f.range,
    children: [
      ...f.parameters.map((p) => ({
        name: p.field,
        detail: `parameter ${p.name} (${p.type})`,
        kind: SymbolKind.Property,
        range: p.range,
        selectionRange: p.nameRange,
      })),
      ...f.steps.map((s) => ({
        name: s.name,
        detail: `step (${s.kind})`,
        kind: SymbolKind.Method,
        range: s.fullRange,
        selectionRange: s.range,
      })),
    ],
  }));
}
