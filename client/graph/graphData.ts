// The messages between the graph panel (extension side) and its webview. Plain data only: the
// webview lays the graph out and draws it; it never receives code.
// Pure (no vscode import), shared by client/graph/panel.ts and client/webview/graph.ts.
import type { FlowDiagnostic, GraphEdge, StepKind } from '../../model/flowModel';
import type { FlowInfo } from '../languageClient';

export type StepStatus = 'success' | 'failed' | 'running' | 'pending' | 'skipped';

export interface GraphStep {
  name: string;
  kind: StepKind;
  doc?: string;
  decorators: string[];
  /** The transition's detail for the node's second line: `foreach items`, `switch mode`. */
  detail?: string;
}

export interface GraphDiagnostic {
  severity: FlowDiagnostic['severity'];
  code: string;
  message: string;
  step?: string;
  line: number;
}

export interface GraphRun {
  id: string;
  status: 'running' | 'success' | 'failed' | 'killed' | 'unknown';
  steps: Record<string, StepStatus>;
  /** Tasks per step when a step ran more than once (foreach). */
  taskCounts: Record<string, number>;
  /** Steps with a card: the task whose first card the node's badge opens (FLOW/RUN/STEP/TASK) and its datastore. */
  cards?: Record<string, { root: string; pathspec: string }>;
}

/** The step spun last (`Spin` CodeLens): marked on its node until the next spin of the flow. */
export interface SpinMark {
  step: string;
  spinId: string;
  successful: boolean;
  /** Artifacts that differ from the original task's. */
  changed: number;
}

export interface GraphData {
  flow: string;
  /** The file name, for the header. */
  file: string;
  steps: GraphStep[];
  edges: GraphEdge[];
  diagnostics: GraphDiagnostic[];
  run?: GraphRun;
  spin?: SpinMark;
  direction: 'TB' | 'LR';
  /** The flow is no longer in the file (renamed while typing): the last graph is shown greyed. */
  stale?: boolean;
}

export type ToWebview = { type: 'graph'; data: GraphData };
export type FromWebview =
  | { type: 'ready' }
  | { type: 'reveal'; step: string }
  | { type: 'revealLine'; line: number }
  | { type: 'direction'; direction: 'TB' | 'LR' }
  | { type: 'run' }
  | { type: 'openCard'; step: string };

/** The graph of a flow from the server's model. */
export function graphData(flow: FlowInfo, file: string, direction: 'TB' | 'LR', run?: GraphRun, spin?: SpinMark): GraphData {
  const steps = flow.steps.map((s): GraphStep => {
    const t = s.transition;
    const detail =
      t?.kind === 'foreach' && t.foreach
        ? `foreach ${t.foreach}`
        : t?.kind === 'switch' && t.condition
          ? `switch ${t.condition}`
          : undefined;
    return { name: s.name, kind: s.kind, doc: s.doc, decorators: s.decorators ?? [], detail };
  });
  const names = new Set(steps.map((s) => s.name));
  // Drop edges to steps that do not exist (an `unknown-step` error): the node is flagged instead.
  const edges = (flow.edges ?? [])
    .filter((e) => names.has(e.from) && names.has(e.to))
    .map((e) => {
      if (e.label || e.kind !== 'switch') return e;
      // Label a switch edge with its case key when the server did not.
      const cases = flow.steps.find((s) => s.name === e.from)?.transition?.cases ?? {};
      const key = Object.keys(cases).find((k) => cases[k] === e.to);
      return key === undefined ? e : { ...e, label: key };
    });
  const diagnostics = (flow.diagnostics ?? []).map((d): GraphDiagnostic => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    line: d.range.start.line,
    step: d.step && names.has(d.step) ? d.step : stepAtLine(flow, d.range.start.line),
  }));
  return { flow: flow.name, file, steps, edges, diagnostics, run, direction, ...(spin && names.has(spin.step) ? { spin } : {}) };
}

/** The step whose declaration holds a line (for diagnostics the server did not attach to a step). */
function stepAtLine(flow: FlowInfo, line: number): string | undefined {
  return flow.steps.find((s) => s.fullRange && s.fullRange.start.line <= line && line <= s.fullRange.end.line)?.name;
}
