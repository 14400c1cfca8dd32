// What is at a position of a document: a step, a step reference, an artifact access.
import { AnalysisResult, contains, flowAt, FlowModel, Position, Range, stepAt, StepModel } from '../../analyzer';

export function overlaps(a: Range, b: Range): boolean {
  return !(before(a.end, b.start) || before(b.end, a.start));
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export type Target =
  | { kind: 'step'; flow: FlowModel; step: StepModel; range: Range }
  | { kind: 'artifact'; flow: FlowModel; step: StepModel; name: string; range: Range };

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
