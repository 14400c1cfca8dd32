// Which step is at a position of a document: a step's name or a reference to it in `this.next(...)`
// (artifacts, parameters and constants: analyzer/navigation.ts `symbolAt`).
import { AnalysisResult, contains, flowAt, FlowModel, Position, Range, stepAt, StepModel } from '../../analyzer';

export function overlaps(a: Range, b: Range): boolean {
  return !(before(a.end, b.start) || before(b.end, a.start));
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** A step, by its name or a reference to it in `this.next(...)`. */
export interface Target {
  kind: 'step';
  flow: FlowModel;
  step: StepModel;
  range: Range;
}

export function stepTargetAt(result: AnalysisResult, p: Position): Target | undefined {
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
  }
  return undefined;
}
