// Params files → LSP: diagnostics, hover and quick fixes from a ParamsAnalysis.
import type { CodeAction, Diagnostic, Hover, Position, Range } from 'vscode-languageserver';
import { ParamsAnalysis, paramsHover } from '../params';
import { LineIndex } from '../../model/lineIndex';
import { quickFixes } from './codeActions';
import { toLspDiagnostic } from './convert';

export function paramsDiagnostics(analysis: ParamsAnalysis): Diagnostic[] {
  return analysis.diagnostics.map(toLspDiagnostic);
}

export function paramsHoverAt(analysis: ParamsAnalysis, text: string, p: Position): Hover | null {
  const h = paramsHover(analysis, text, new LineIndex(text).offset(p));
  return h ? { contents: { kind: 'markdown', value: h.markdown }, range: h.range } : null;
}

/** "Change to 'rate'" for an unknown parameter, through the quick-fix providers of flow files. */
export function paramsQuickFixes(uri: string, text: string, analysis: ParamsAnalysis, range: Range): CodeAction[] {
  return quickFixes(uri, text, { flows: [], diagnostics: analysis.diagnostics }, range);
}
