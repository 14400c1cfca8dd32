// Pure graph functions over a FlowModel: edges, order, predecessors and the split/join structure.
// Shared by the rules, the renderers and the language server; the walks themselves are model/graph.ts.
import type { FlowModel, GraphEdge, StepModel, TransitionModel } from '../model/flowModel';
import { FlowShape, reachableFrom, ShapeStep, splitStructure, SplitStructure, stepOrder as dependencyOrder } from '../model/graph';

/** Edges between existing steps (targets that are not steps are left out). */
export function graphEdges(flow: FlowModel): GraphEdge[] {
  const names = new Set(flow.steps.map((s) => s.name));
  const edges: GraphEdge[] = [];
  for (const s of flow.steps) {
    const t = s.transition;
    if (!t) continue;
    if (t.kind === 'switch' && t.cases) {
      for (const [key, to] of Object.entries(t.cases)) if (names.has(to)) edges.push({ from: s.name, to, kind: 'switch', label: key });
    } else {
      for (const to of t.targets) {
        if (!names.has(to)) continue;
        edges.push(
          t.kind === 'foreach'
            ? { from: s.name, to, kind: 'foreach', ...(foreachLabel(t) ? { label: foreachLabel(t) } : {}) }
            : { from: s.name, to, kind: t.kind },
        );
      }
    }
  }
  return edges;
}

/** What a foreach iterates: the artifact, or `numParallel=N` for the gang of a @parallel step. */
export function foreachLabel(t: TransitionModel): string | undefined {
  if (t.numParallel !== undefined) return `numParallel${t.numParallel === true ? '' : `=${t.numParallel}`}`;
  return t.foreach;
}

export interface FlowGraph {
  flow: FlowModel;
  steps: Map<string, StepModel>;
  edges: GraphEdge[];
  succ: Map<string, string[]>;
  preds: Map<string, string[]>;
  /** Split stacks, arrivals at joins, conflicts (model/graph.ts `splitStructure`). */
  structure: SplitStructure;
  /** Steps reachable from start. */
  reachable: Set<string>;
}

const cache = new WeakMap<FlowModel, FlowGraph>();

/** The graph view of a flow, computed once per model object. */
export function flowGraph(flow: FlowModel): FlowGraph {
  let g = cache.get(flow);
  if (g) return g;
  const steps = new Map<string, StepModel>();
  for (const s of flow.steps) if (!steps.has(s.name)) steps.set(s.name, s);
  const edges = graphEdges(flow);
  const succ = new Map<string, string[]>();
  const preds = new Map<string, string[]>();
  for (const s of steps.keys()) {
    succ.set(s, []);
    preds.set(s, []);
  }
  for (const e of edges) {
    if (!succ.get(e.from)!.includes(e.to)) succ.get(e.from)!.push(e.to);
    if (!preds.get(e.to)!.includes(e.from)) preds.get(e.to)!.push(e.from);
  }
  const structure = splitStructure(shapeOf(steps));
  const reachable = steps.has('start') ? reachableFrom(succ, ['start']) : new Set<string>();
  g = { flow, steps, edges, succ, preds, structure, reachable };
  cache.set(flow, g);
  return g;
}

/** The flow as the model's split walk sees it: each step's transition and whether it takes inputs. */
function shapeOf(steps: Map<string, StepModel>): FlowShape {
  const shape = new Map<string, ShapeStep>();
  for (const [name, step] of steps) {
    const t = step.transition;
    const targets = !t ? [] : t.kind === 'switch' && t.cases ? [...new Set(Object.values(t.cases))] : t.targets;
    shape.set(name, { kind: t?.kind ?? 'end', targets, join: step.hasInputs });
  }
  return shape;
}

/**
 * Steps in the order `show` prints them: a topological order from start (loops ignored), ties
 * broken by source order, then the steps not reachable from start.
 */
export function stepOrder(flow: FlowModel): string[] {
  return dependencyOrder(flowGraph(flow).succ);
}

/** Steps with an edge into `step`. */
export function incomingSteps(flow: FlowModel, step: string): string[] {
  return flowGraph(flow).preds.get(step) ?? [];
}
