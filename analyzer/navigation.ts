// Navigation over a flow's artifacts: what artifact, parameter or constant is at a position, the
// assignments that can reach a read (from the data flow), every occurrence of an artifact across
// the flow's steps (strings included: `foreach: 'x'`, `condition: 'x'`, mergeArtifacts' include
// and exclude) and the edits that rename it. Pure: an analysis and its document's text in, ranges
// out; the language server only converts them to LSP.
import type { AnalysisResult, FlowModel, ParameterModel, Position, Range, StepModel } from '../model/flowModel';
import { LineIndex } from '../model/lineIndex';
import { RESERVED_NAMES } from '../model/reserved';
import { computeDataFlow } from './dataflow';

/** How a name occurs: `this.x = ..` / a read / `inputs.a.x` / a string naming it / a declared field. */
export type OccurrenceRole = 'assign' | 'read' | 'input' | 'foreach' | 'condition' | 'merge' | 'field';

export interface Occurrence {
  /** The range of the name itself (inside the quotes for a string). */
  range: Range;
  role: OccurrenceRole;
  /** The step it is in (for a helper method's access: the first step that calls the helper). */
  step?: string;
  /** `const { x } = this`: the name is also the local variable's, so a rename writes `y: x`. */
  shorthand?: boolean;
}

export type FlowSymbol =
  | {
      kind: 'artifact';
      flow: FlowModel;
      step: StepModel;
      name: string;
      occurrence: Occurrence;
      /** Offset of the access in the document (reads: what precedes it in the step). */
      offset: number;
      /** `inputs.<branch>.x`. */
      branch?: string;
      /** An access in a helper method (the steps that call it share it). */
      viaHelper?: boolean;
    }
  | { kind: 'parameter'; flow: FlowModel; parameter: ParameterModel; step?: StepModel; range: Range }
  | { kind: 'constant'; flow: FlowModel; name: string; step?: StepModel; range: Range };

export function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

/** The flow class that contains the position. */
export function flowAt(result: AnalysisResult, p: Position): FlowModel | undefined {
  return result.flows.find((f) => contains(f.fullRange, p));
}

export function stepAt(flow: FlowModel, p: Position): StepModel | undefined {
  return flow.steps.find((s) => contains(s.fullRange, p));
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const escapeRegExp = (s: string) => s.replace(/[$]/g, '\\$&');

/** Reads the text of a document at the ranges the model gives. */
class DocumentText {
  readonly lines: LineIndex;
  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
  }

  /**
   * The name inside an access's range: after `this` for `this.x` / `this['x']`, else the first one
   * (a binding element `{ x }`, `{ x: y }`, `inputs.a.x`'s `x`).
   */
  nameIn(range: Range, name: string): { range: Range; shorthand: boolean } | undefined {
    const start = this.lines.offset(range.start);
    const slice = this.text.slice(start, this.lines.offset(range.end));
    const re = new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`, 'g');
    re.lastIndex = slice.startsWith('this') ? 4 : 0;
    const m = re.exec(slice);
    if (!m) return undefined;
    const shorthand = !slice.startsWith('this') && !/^\s*:/.test(slice.slice(m.index + name.length)) && !/^['"`]/.test(slice);
    return { range: this.lines.range([start + m.index, start + m.index + name.length]), shorthand };
  }

  /** The inside of a string literal's range. */
  stringInside(range: Range): Range {
    return this.lines.range([this.lines.offset(range.start) + 1, this.lines.offset(range.end) - 1]);
  }

  /** Every `'name'` (any quotes) inside a range: the strings of a mergeArtifacts call. */
  stringsIn(range: Range, name: string): Range[] {
    const start = this.lines.offset(range.start);
    const slice = this.text.slice(start, this.lines.offset(range.end));
    const out: Range[] = [];
    for (const m of slice.matchAll(new RegExp(`(['"\`])${escapeRegExp(name)}\\1`, 'g'))) {
      out.push(this.lines.range([start + m.index + 1, start + m.index + 1 + name.length]));
    }
    return out;
  }

  /** The identifier around a position, and whether `this.` precedes it. */
  wordAt(p: Position): { word: string; range: Range; afterThis: boolean } | undefined {
    const at = this.lines.offset(p);
    let s = at;
    let e = at;
    while (s > 0 && /[\w$]/.test(this.text[s - 1])) s--;
    while (e < this.text.length && /[\w$]/.test(this.text[e])) e++;
    if (s === e) return undefined;
    const word = this.text.slice(s, e);
    if (!IDENTIFIER.test(word)) return undefined;
    return { word, range: this.lines.range([s, e]), afterThis: /\bthis\s*(\?\.|\.)\s*$/.test(this.text.slice(Math.max(0, s - 40), s)) };
  }
}

/** Every occurrence of artifact `name` in the given flows (a flow and the flows it shares steps with). */
function occurrencesOf(flows: FlowModel[], doc: DocumentText, name: string): Occurrence[] {
  const seen = new Map<string, Occurrence>();
  const add = (o: Occurrence | undefined) => {
    if (!o) return;
    const key = `${o.range.start.line}:${o.range.start.character}`;
    // `this.x += 1` is an assignment and a read at one range: the assignment wins.
    if (!seen.has(key) || o.role === 'assign') seen.set(key, o);
  };
  const named = (range: Range, role: OccurrenceRole, step: string): Occurrence | undefined => {
    const n = doc.nameIn(range, name);
    return n && { range: n.range, role, step, ...(n.shorthand ? { shorthand: true } : {}) };
  };
  for (const flow of flows) {
    if (flow.members[name] === 'field' && flow.memberRanges[name]) add({ range: flow.memberRanges[name], role: 'field' });
    for (const step of flow.steps) {
      for (const a of step.assignments) if (a.name === name) add(named(a.range, 'assign', step.name));
      for (const a of step.readAccesses) if (a.name === name) add(named(a.range, 'read', step.name));
      for (const r of step.inputReads) if (r.name === name) add(named(r.range, 'input', step.name));
      for (const c of step.nextCalls) {
        const t = c.transition;
        if (t?.foreach === name && t.foreachRange) add({ range: doc.stringInside(t.foreachRange), role: 'foreach', step: step.name });
        if (t?.condition === name && t.conditionRange)
          add({ range: doc.stringInside(t.conditionRange), role: 'condition', step: step.name });
      }
      for (const m of step.merges) {
        if (!m.include?.includes(name) && !m.exclude?.includes(name)) continue;
        for (const range of doc.stringsIn(m.range, name)) add({ range, role: 'merge', step: step.name });
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** The flow and every flow of the file that shares a step with it (its bases and subclasses). */
function relatedFlows(result: AnalysisResult, flow: FlowModel): FlowModel[] {
  const key = (s: StepModel) => `${s.fullRange.start.line}:${s.fullRange.start.character}`;
  const own = new Set(flow.steps.map(key));
  return result.flows.filter((f) => f === flow || f.steps.some((s) => own.has(key(s))));
}

/** What is at the position: an artifact occurrence, a parameter or a constant (read or declared). */
export function symbolAt(result: AnalysisResult, text: string, p: Position): FlowSymbol | undefined {
  const flow = flowAt(result, p);
  if (!flow) return undefined;
  return symbolIn(flow, new DocumentText(text), p);
}

function symbolIn(flow: FlowModel, doc: DocumentText, p: Position): FlowSymbol | undefined {
  const step = stepAt(flow, p);
  const artifact = (
    s: StepModel,
    name: string,
    occurrence: Occurrence,
    offset: number,
    extra: { branch?: string; viaHelper?: boolean } = {},
  ) => ({ kind: 'artifact', flow, step: s, name, occurrence, offset, ...extra }) as const;
  // A helper method's accesses are listed in every step that calls it: look in all steps.
  for (const s of step ? [step, ...flow.steps.filter((x) => x !== step)] : flow.steps) {
    for (const [list, role] of [
      [s.assignments, 'assign'],
      [s.readAccesses, 'read'],
    ] as const) {
      for (const a of list) {
        if (!contains(a.range, p) || (step && s !== step && !a.via)) continue;
        const n = doc.nameIn(a.range, a.name);
        if (n && contains(n.range, p)) return artifact(s, a.name, { range: n.range, role, step: s.name }, a.offset, { viaHelper: !!a.via });
      }
    }
    if (s !== step) continue;
    for (const r of s.inputReads) {
      const n = contains(r.range, p) ? doc.nameIn(r.range, r.name) : undefined;
      if (n && contains(n.range, p))
        return artifact(s, r.name, { range: n.range, role: 'input', step: s.name }, doc.lines.offset(r.range.start), { branch: r.branch });
    }
    for (const c of s.nextCalls) {
      const t = c.transition;
      for (const [name, range, role] of [
        [t?.foreach, t?.foreachRange, 'foreach'],
        [t?.condition, t?.conditionRange, 'condition'],
      ] as const) {
        if (!name || !range || !contains(range, p)) continue;
        const inside = doc.stringInside(range);
        return (
          memberSymbol(flow, s, name, inside) ?? artifact(s, name, { range: inside, role, step: s.name }, doc.lines.offset(range.start))
        );
      }
    }
    for (const m of s.merges) {
      if (!contains(m.range, p)) continue;
      for (const name of [...(m.include ?? []), ...(m.exclude ?? [])]) {
        const range = doc.stringsIn(m.range, name).find((r) => contains(r, p));
        if (range) return artifact(s, name, { range, role: 'merge', step: s.name }, m.offset);
      }
    }
  }
  // `this.rate` (a parameter or constant: not artifact accesses), or a member's declaration.
  const w = doc.wordAt(p);
  if (!w) return undefined;
  if (w.afterThis) return memberSymbol(flow, step, w.word, w.range);
  const declared = flow.memberRanges[w.word];
  if (declared && contains(declared, p) && flow.members[w.word] === 'field') {
    const first = flow.steps.find((s) => s.assignments.some((a) => a.name === w.word)) ?? flow.steps[0];
    if (first) return artifact(first, w.word, { range: declared, role: 'field' }, -1);
  }
  return undefined;
}

function memberSymbol(flow: FlowModel, step: StepModel | undefined, name: string, range: Range): FlowSymbol | undefined {
  const parameter = flow.parameters.find((x) => x.field === name);
  if (parameter) return { kind: 'parameter', flow, parameter, step, range };
  if (flow.members[name] === 'constant') return { kind: 'constant', flow, name, step, range };
  return undefined;
}

/**
 * The steps whose assignment of the artifact may be the value read at the symbol: the reaching
 * definitions of the data flow (a read after the step's own assignment: that step; `inputs.a.x`:
 * what reaches the join from `a`; a string of `this.next`: the value when the step ends).
 */
export function reachingSites(symbol: Extract<FlowSymbol, { kind: 'artifact' }>): string[] {
  const { flow, step, name, occurrence } = symbol;
  const df = computeDataFlow(flow);
  const sitesOf = (st: { sites: ReadonlySet<string>; lost?: { sites: ReadonlySet<string> } } | undefined) =>
    st ? [...(st.sites.size ? st.sites : (st.lost?.sites ?? []))] : [];
  const incoming = () => [...(df.joins.get(step.name)?.artifacts.get(name)?.sites ?? [])];
  switch (occurrence.role) {
    case 'assign':
      return [step.name];
    case 'field':
      return flow.steps.filter((s) => s.assigns.includes(name)).map((s) => s.name);
    case 'foreach':
    case 'condition':
      return sitesOf(df.exit.get(step.name)?.artifacts.get(name));
    case 'merge':
      return incoming();
    case 'input': {
      if (!symbol.branch) return incoming();
      const fromBranch = df.exit.get(symbol.branch)?.artifacts.get(name);
      return fromBranch ? sitesOf(fromBranch) : incoming();
    }
    case 'read': {
      if (symbol.viaHelper) {
        // Every step that calls the helper reads it with what reaches that step.
        const callers = flow.steps.filter((s) => s.readAccesses.some((a) => a.via && a.offset === symbol.offset));
        return [
          ...new Set(callers.flatMap((s) => (s.assigns.includes(name) ? [s.name] : sitesOf(df.entry.get(s.name)?.artifacts.get(name))))),
        ];
      }
      if (step.assignments.some((a) => a.name === name && !a.via && a.offset < symbol.offset)) return [step.name];
      if (step.hasInputs && step.merges.some((m) => m.offset < symbol.offset && (m.dynamic || mergesName(m, name)))) return incoming();
      return sitesOf(df.entry.get(step.name)?.artifacts.get(name));
    }
  }
}

function mergesName(m: StepModel['merges'][number], name: string): boolean {
  if (m.include) return m.include.includes(name);
  return !m.exclude?.includes(name);
}

/** Go to definition: the assignments that can reach the symbol; a parameter's or constant's field. */
export function definitionsAt(result: AnalysisResult, text: string, p: Position): Range[] {
  const flow = flowAt(result, p);
  if (!flow) return [];
  const doc = new DocumentText(text);
  const symbol = symbolIn(flow, doc, p);
  if (!symbol) return [];
  if (symbol.kind === 'parameter') return [fieldName(doc, symbol.parameter)];
  if (symbol.kind === 'constant') return flow.memberRanges[symbol.name] ? [flow.memberRanges[symbol.name]] : [];
  if (symbol.occurrence.role === 'assign' || symbol.occurrence.role === 'field') return [symbol.occurrence.range];
  return assignmentsIn(flow, doc, reachingSites(symbol), symbol.name);
}

/** The assignments of `name` in the given steps (those in helper methods they call included), by name range. */
function assignmentsIn(flow: FlowModel, doc: DocumentText, steps: string[], name: string): Range[] {
  const out = new Map<number, Range>();
  for (const s of flow.steps) {
    if (!steps.includes(s.name)) continue;
    for (const a of s.assignments) {
      if (a.name !== name || out.has(a.offset)) continue;
      const n = doc.nameIn(a.range, name);
      if (n) out.set(a.offset, n.range);
    }
  }
  // A declared field (`x!: T`) when no step assigns it on the way.
  if (!out.size && flow.members[name] === 'field' && flow.memberRanges[name]) return [flow.memberRanges[name]];
  return [...out.values()];
}

/**
 * The assignments that give `name` its value when `step` ends (`end` for a run's outputs): what a
 * params file's `value: outputs.x` or `value: train.x` refers to.
 */
export function definitionsAtExit(flow: FlowModel, text: string, step: string, name: string): Range[] {
  const st = computeDataFlow(flow).exit.get(step)?.artifacts.get(name);
  return st ? assignmentsIn(flow, new DocumentText(text), [...st.sites], name) : [];
}

/** The range of a parameter's field name. */
export function parameterFieldRange(text: string, parameter: ParameterModel): Range {
  return fieldName(new DocumentText(text), parameter);
}

function fieldName(doc: DocumentText, parameter: ParameterModel): Range {
  return doc.nameIn(parameter.range, parameter.field)?.range ?? parameter.range;
}

/** Find all references: every occurrence of the artifact across the flow (and the flows sharing its steps). */
export function referencesAt(result: AnalysisResult, text: string, p: Position, includeDeclaration = true): Occurrence[] {
  const flow = flowAt(result, p);
  if (!flow) return [];
  const doc = new DocumentText(text);
  const symbol = symbolIn(flow, doc, p);
  if (symbol?.kind !== 'artifact') return [];
  const all = occurrencesOf(relatedFlows(result, flow), doc, symbol.name);
  return includeDeclaration ? all : all.filter((o) => o.role !== 'field');
}

/** The range a rename starts from (the name under the cursor); undefined when it is not an artifact. */
export function renameRangeAt(result: AnalysisResult, text: string, p: Position): Range | undefined {
  const flow = flowAt(result, p);
  const symbol = flow && symbolIn(flow, new DocumentText(text), p);
  return symbol?.kind === 'artifact' ? symbol.occurrence.range : undefined;
}

export class RenameRefused extends Error {}

/** The edits that rename the artifact at the position across the flow; throws RenameRefused for a bad name. */
export function renameEdits(result: AnalysisResult, text: string, p: Position, newName: string): Array<{ range: Range; newText: string }> {
  const flow = flowAt(result, p);
  if (!flow) return [];
  const doc = new DocumentText(text);
  const symbol = symbolIn(flow, doc, p);
  if (symbol?.kind !== 'artifact') return [];
  const flows = relatedFlows(result, flow);
  const problem = renameProblem(flows, symbol.name, newName);
  if (problem) throw new RenameRefused(problem);
  return occurrencesOf(flows, doc, symbol.name).map((o) => ({
    range: o.range,
    newText: o.shorthand ? `${newName}: ${symbol.name}` : newName,
  }));
}

function renameProblem(flows: FlowModel[], old: string, name: string): string | undefined {
  if (name === old) return undefined;
  if (!IDENTIFIER.test(name)) return `'${name}' is not a valid artifact name (a JavaScript identifier)`;
  if (RESERVED_NAMES.has(name)) return `'${name}' is a FlowSpec member: an artifact cannot be named so`;
  for (const f of flows) {
    if (f.steps.some((s) => s.name === name)) return `'${name}' is a step of ${f.name}`;
    if (f.parameters.some((x) => x.field === name)) return `'${name}' is a parameter of ${f.name}`;
    if (f.members[name] && f.members[name] !== 'field') return `'${name}' is a ${f.members[name]} of ${f.name}`;
    if (f.steps.some((s) => s.assigns.includes(name) || s.reads.includes(name)))
      return `${f.name} already has an artifact '${name}': renaming '${old}' would merge the two`;
  }
  return undefined;
}
