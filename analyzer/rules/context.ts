// What every rule gets: the flow, its graph, and (lazily) the artifact data flow.
import type { ArtifactAccess, FlowDiagnostic, FlowModel, Range, Severity } from '../../model/flowModel';
import type { FlowGraph } from '../graph';
import type { DataFlow } from '../dataflow';
import { DIAGNOSTIC_CODES, DiagnosticCode } from './codes';

export interface RuleContext {
  flow: FlowModel;
  graph: FlowGraph;
  /** Artifact availability per step; computed on first use. */
  dataflow(): DataFlow;
  /** Type-based answer to "is the value of this assignment iterable?"; undefined when unknown. */
  isIterable?: (assignment: ArtifactAccess) => boolean | undefined;
  /** The flow file's path, when it is known (config rules read files relative to it). */
  file?: string;
}

export type Rule = (ctx: RuleContext) => FlowDiagnostic[];

export function diag(
  ctx: RuleContext,
  code: DiagnosticCode,
  severity: Severity,
  message: string,
  range: Range,
  step?: string,
): FlowDiagnostic {
  return {
    code,
    severity,
    message,
    range,
    flow: ctx.flow.name,
    ...(step !== undefined ? { step } : {}),
    ...(severity === 'error' && DIAGNOSTIC_CODES[code].blocksRun ? { blocksRun: true } : {}),
  };
}

/** `a`, `a and b`, `a, b and c` with backticks. */
export function names(list: Iterable<string>): string {
  const l = [...list].map((n) => `'${n}'`);
  return l.length <= 1 ? l.join('') : `${l.slice(0, -1).join(', ')} and ${l[l.length - 1]}`;
}
