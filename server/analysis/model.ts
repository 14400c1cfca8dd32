// The analyzer's model of a flow file: plain data, no LSP or ts-morph types, so the CLI,
// the runtime's pre-run validation, the language server and the extension all share it.

/** Zero-based position, like LSP's (line, UTF-16 character). */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export type StepKind = 'start' | 'linear' | 'split' | 'foreach' | 'switch' | 'join' | 'end';

export interface TransitionModel {
  /** linear: one target; branch: several; foreach: one target plus `foreach`; switch: `cases`. */
  kind: 'linear' | 'branch' | 'foreach' | 'switch';
  /** Step names in call order (for a switch: the case targets in declaration order). */
  targets: string[];
  /** The artifact iterated by a foreach. */
  foreach?: string;
  /** The artifact whose value selects a switch case. */
  condition?: string;
  /** Switch cases: case key → step name. */
  cases?: Record<string, string>;
  /** Range of the whole `this.next(...)` call. */
  range: Range;
}

export interface StepModel {
  name: string;
  /** Range of the method name. */
  range: Range;
  /** Range of the whole method declaration, decorators included. */
  fullRange: Range;
  kind: StepKind;
  /** Leading comment (JSDoc or // lines) without comment markers. */
  doc?: string;
  /** Decorator names other than `step`, e.g. ['retry', 'catchError']. */
  decorators: string[];
  /** The transition all paths of the step take (null when none, e.g. `end`). */
  transition: TransitionModel | null;
  /** True when the method declares a parameter (the join's `inputs`). */
  hasInputs: boolean;
  /** Artifacts assigned with `this.x = ...` in the step. */
  assigns: string[];
  /** Artifacts read with `this.x` in the step. */
  reads: string[];
}

export type ParameterType = 'string' | 'number' | 'boolean' | 'json' | 'file';

export interface ParameterModel {
  /** Class field the parameter is read through (`this.<field>`). */
  field: string;
  /** The parameter's name on the command line (`--<name>`). */
  name: string;
  type: ParameterType;
  /** Default value when it is a literal the analyzer can read; `undefined` otherwise. */
  default?: unknown;
  /** Source text of the default expression, for display. */
  defaultText?: string;
  required: boolean;
  help?: string;
  range: Range;
}

export interface FlowModel {
  name: string;
  /** Range of the class name. */
  range: Range;
  steps: StepModel[];
  parameters: ParameterModel[];
}

export type Severity = 'error' | 'warning' | 'information';

export interface FlowDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Flow and step the problem concerns, when it concerns one (graph preview shows it there). */
  flow?: string;
  step?: string;
}

export interface AnalysisResult {
  flows: FlowModel[];
  diagnostics: FlowDiagnostic[];
}

/** A graph edge as every renderer (dot, mermaid, json, the webview) sees it. */
export interface GraphEdge { from: string; to: string; kind: 'linear' | 'branch' | 'foreach' | 'switch'; label?: string }
