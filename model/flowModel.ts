// The analyzer's model of a flow file: plain data, no LSP or ts-morph types, so the CLI,
// the runtime's pre-run validation, the language server and the extension all share it.

/** Zero-based position, like LSP's (line, UTF-16 character). */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export type StepKind = 'start' | 'linear' | 'split' | 'foreach' | 'switch' | 'join' | 'end';

export interface TransitionModel {
  /** linear: one target; branch: several; foreach: one target plus `foreach`; switch: `cases`. */
  kind: 'linear' | 'branch' | 'foreach' | 'switch';
  /** Step names in call order (for a switch: the case targets in declaration order). */
  targets: string[];
  /** The artifact iterated by a foreach. */
  foreach?: string;
  /**
   * `this.next(this.train, { numParallel: 4 })`: a foreach of N gang-scheduled tasks of a
   * @parallel step (Metaflow's num_parallel). Set (to the literal, or true when computed) instead
   * of `foreach`.
   */
  numParallel?: number | true;
  /** The artifact whose value selects a switch case. */
  condition?: string;
  /** Switch cases: case key → step name. */
  cases?: Record<string, string>;
  /** Range of the whole `this.next(...)` call. */
  range: Range;
  /** Range of each target reference (`this.a`), parallel to `targets`. */
  targetRanges?: Range[];
  /** Range of the `foreach` / `condition` string literal. */
  foreachRange?: Range;
  conditionRange?: Range;
}

/** One `this.next(...)` call as written, valid or not. */
export interface NextCallModel {
  range: Range;
  /** The parsed transition; null when the arguments are not a valid transition. */
  transition: TransitionModel | null;
  /**
   * Why the arguments are not a valid transition (with the range of the bad argument); `code` when
   * a more specific diagnostic than `invalid-transition` applies (`invalid-switch`).
   */
  problem?: { message: string; range: Range; code?: string };
  /** Every `this.<name>` target named, valid call or not (for unknown-step). */
  refs: Array<{ name: string; range: Range }>;
}

/** Facts about the paths through a step body (from its control flow). */
export interface StepControlFlow {
  /** Some path of the step ends (falls off or returns) without calling `this.next`. */
  pathWithoutNext: boolean;
  /** `this.next` calls that run after another `this.next` on some path (or inside a loop). */
  nextTwice: Range[];
  /** Statements that run after `this.next` on some path. */
  afterNext: Range[];
}

/** `this.<name>` read or written in a step (or in a helper method it calls). */
export interface ArtifactAccess {
  name: string;
  range: Range;
  /** Offset in the document, to order accesses within a step. */
  offset: number;
  /** Assignments: the JSON text of the value when it is a literal. */
  literal?: string;
  /** Assignments: how the value's type is known syntactically ('iterable' / 'not-iterable' / 'empty'). */
  shape?: 'iterable' | 'not-iterable' | 'empty' | 'unknown';
  /** Reads: the read tolerates absence (`this.x ?? d`, `typeof this.x`, `this.x?.y`, `'x' in this`). */
  guarded?: boolean;
  /** Accesses in a helper method: the helper's name. */
  via?: string;
}

/** `this.mergeArtifacts(inputs, { include, exclude })` in a join. */
export interface MergeCallModel {
  range: Range;
  offset: number;
  include?: string[];
  exclude?: string[];
  /** The options are not literal arrays of strings: assume everything is merged. */
  dynamic: boolean;
}

/** An artifact read through the join's inputs: `inputs.a.x`, `inputs[0].x`, `for (const i of inputs) i.x`. */
export interface InputReadModel {
  name: string;
  /** `inputs.<branch>.x`: the branch step. */
  branch?: string;
  branchRange?: Range;
  range: Range;
}

/** One decorator as written: `@retry` is bare, `@retry({ times: 2 })` a call with one argument. */
export interface DecoratorUse {
  name: string;
  /** Written with parentheses. */
  called: boolean;
  /** How many arguments the call has (0 when bare). */
  args: number;
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
  /** Every decorator of the method as written (`@step` included), for the checks of their forms. */
  decoratorUses: DecoratorUse[];
  /** The transition all paths of the step take (null when none, e.g. `end`). */
  transition: TransitionModel | null;
  /** True when the method declares a parameter (the join's `inputs`). */
  hasInputs: boolean;
  /** Artifacts assigned with `this.x = ...` in the step. */
  assigns: string[];
  /** Artifacts read with `this.x` in the step. */
  reads: string[];
  /** The method's parameters (a join has one, `inputs`). */
  params: Array<{ name: string; range: Range }>;
  async: boolean;
  /** Every `this.next(...)` call in the step, in source order. */
  nextCalls: NextCallModel[];
  controlFlow: StepControlFlow;
  /** Every assignment and read of `this.<artifact>` (names that are not flow members). */
  assignments: ArtifactAccess[];
  readAccesses: ArtifactAccess[];
  inputReads: InputReadModel[];
  merges: MergeCallModel[];
  /** `this` is used in a way the analyzer cannot follow (`Object.assign(this, ..)`, `f(this)`, `this[k] = ..`). */
  dynamic: boolean;
  /** Non-step methods of the flow this step calls (`this.helper()`), transitively. */
  helpers: string[];
}

/** A `cfg = Config('cfg', { default: 'config.json', parser })` field of a flow class. */
export interface ConfigModel {
  /** Class field the config is read through (`this.<field>`). */
  field: string;
  /** The config's name (`--config NAME FILE`, `configExpr('NAME.key')`); with `computedName`, the expression's text. */
  name: string;
  /** The name is not a string literal (`Config(NAME, ...)`): not known statically, so no check relies on it. */
  computedName?: true;
  range: Range;
  nameRange: Range;
  /** The `default` file as written (a run reads it from where it starts, else next to the flow file). */
  defaultFile?: string;
  defaultFileRange?: Range;
  /** How its files parse: 'json' (default), 'yaml', or 'custom' for a parser function (not read statically). */
  format: 'json' | 'yaml' | 'custom';
  help?: string;
}

/** A `configExpr('cfg.key')` call: its path and the range of the path's string. */
export interface ConfigExprModel {
  path: string;
  range: Range;
}

import type { ParameterType } from './parameters';
export type { ParameterType };

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
  /** `Parameter` or `IncludeFile`. */
  declaration: 'Parameter' | 'IncludeFile';
  /** Range of the name literal (the first argument). */
  nameRange: Range;
  /** Source text of the `type:` option, and its range. */
  typeText?: string;
  typeRange?: Range;
  defaultRange?: Range;
  /** `typeof` of the default when it is a literal ('string', 'number', 'boolean', 'object', 'null'). */
  defaultKind?: string;
}

export interface FlowModel {
  name: string;
  /** Range of the class name. */
  range: Range;
  steps: StepModel[];
  parameters: ParameterModel[];
  /** Range of the whole class declaration. */
  fullRange: Range;
  doc?: string;
  /**
   * Class members that are not steps or parameters, by name: 'constant' (a field with an
   * initializer, readable everywhere), 'field' (a typed field without initializer: an artifact's
   * type), 'method' (helpers, getters).
   */
  members: Record<string, 'constant' | 'field' | 'method'>;
  /** Where each of `members` is declared: the range of its name. */
  memberRanges: Record<string, Range>;
  /** `Config` fields (also listed in `members` as constants: `this.cfg` is readable everywhere). */
  configs?: ConfigModel[];
  /** Every `configExpr('cfg.key')` written in the class (decorator options, parameter defaults). */
  configExprs?: ConfigExprModel[];
  /** Positions where a new step or member can be inserted (after the last member). */
  insertAt: Position;
  /** Indentation of the class members. */
  indent: string;
  /**
   * An abstract class, or one another flow of the file extends: a base of flows rather than a
   * flow that runs. Listed with its steps, not validated (its subclasses are, with its steps).
   */
  base?: boolean;
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
  /** Facts quick fixes need (e.g. the join and artifact concerned); plain JSON. */
  data?: Record<string, unknown>;
  /** An error that makes the flow impossible to run: `flowspec run` refuses the flow. */
  blocksRun?: true;
}

export interface AnalysisResult {
  flows: FlowModel[];
  diagnostics: FlowDiagnostic[];
  /**
   * With `types: 'cached'`: some type-based answers were not in the cache, so a typed analysis
   * (`types: true`) may add diagnostics. The language server runs it once the user pauses.
   */
  typesPending?: boolean;
}

/** A graph edge as every renderer (dot, mermaid, json, the webview) sees it. */
export interface GraphEdge {
  from: string;
  to: string;
  kind: 'linear' | 'branch' | 'foreach' | 'switch';
  label?: string;
}

/** Quick test before parsing: could the text hold a flow at all? */
export function mayContainFlow(text: string): boolean {
  return /extends\s+(?:[\w$]+\s*\.\s*)?FlowSpec\b/.test(text);
}
