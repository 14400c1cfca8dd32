// FlowDiagnostic (analysis) → LSP Diagnostic.
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { FlowDiagnostic } from '../../analyzer';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information };

export function toLspDiagnostic(d: FlowDiagnostic): Diagnostic {
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'flowspec',
    message: d.message,
    ...(d.data || d.flow ? { data: { ...d.data, flow: d.flow, step: d.step } } : {}),
  };
}
