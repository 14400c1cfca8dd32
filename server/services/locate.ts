// What is at a position of a document: a step, a step reference, an artifact access.
import type { AnalysisResult, FlowModel, Position, Range, StepModel } from '../../analyzer';

export function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

export function overlaps(a: Range, b: Range): boolean {
  return !(before(a.end, b.start) || before(b.end, a.start));
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export type Target =
  | { kind: 'step'; flow: FlowModel; step: StepModel; range: Range }
  | { kind: 'artifact'; flow: FlowModel; step: StepModel; name: string; range: Range };

/** The flow whose class contains the position. */
export function flowAt(result: AnalysisResult, p: Position): FlowModel | undefined {
  return result.flows.find((f) => contains(f.fullRange, p));
}

export function stepAt(flow: FlowModel, p: Position): StepModel | undefined {
  return flow.steps.find((s) => contains(s.fullRange, p));
}

export function targetAt(result: AnalysisResult, p: Position): Target | undefined {
  const flow = flowAt(result, p);
  if (!flow) return undefined;
  for (const step of flow.steps) {
    if (contains(step.range, p)) return { kind: 'step', flow, step, range: step.range };
  }
  const step = stepAt(flow, p);
  if (!step) return undefined;
  const byName = (name: string) => flow.steps.find((s) => s.name === name);
  for (const c of step.nextCalls) {
    for (const r of c.refs) {
      const target = byName(r.name);
      if (target && contains(r.range, p)) return { kind: 'step', flow, step: target, range: r.range };
    }
    const t = c.transition;
    if (t?.foreach && t.foreachRange && contains(t.foreachRange, p))
      return { kind: 'artifact', flow, step, name: t.foreach, range: t.foreachRange };
    if (t?.condition && t.conditionRange && contains(t.conditionRange, p))
      return { kind: 'artifact', flow, step, name: t.condition, range: t.conditionRange };
  }
  for (const a of [...step.readAccesses, ...step.assignments]) {
    if (!a.via && contains(a.range, p)) return { kind: 'artifact', flow, step, name: a.name, range: a.range };
  }
  return undefined;
}
