// Pure graph functions over a FlowModel: edges, order, predecessors and the split/join structure.
// Shared by the rules, the renderers and the language server; the walks themselves are model/graph.ts.
import type { FlowModel, GraphEdge, StepModel, TransitionModel } from '../model/flowModel';
import { reachableFrom, stepOrder as dependencyOrder } from '../model/graph';

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

/** A frame of the split stack: which branch of which split a step runs in. */
export interface SplitFrame {
  split: string;
  branch: number;
}

export interface FlowStructure {
  /** Split stack on entry to each step reached from start (for a join: inside its split). */
  inStack: Map<string, SplitFrame[]>;
  /** Every edge that enters a step taking inputs, with the stack it carries. */
  arrivals: Map<string, Array<{ from: string; stack: SplitFrame[] }>>;
  /** Edges that bring a stack different from the one the step was first reached with. */
  conflicts: Array<{ step: string; from: string; first: SplitFrame[]; other: SplitFrame[] }>;
}

export interface FlowGraph {
  flow: FlowModel;
  steps: Map<string, StepModel>;
  edges: GraphEdge[];
  succ: Map<string, string[]>;
  preds: Map<string, string[]>;
  structure: FlowStructure;
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
  const structure = computeStructure(steps);
  const reachable = steps.has('start') ? reachableFrom(succ, ['start']) : new Set<string>();
  g = { flow, steps, edges, succ, preds, structure, reachable };
  cache.set(flow, g);
  return g;
}

export const stackKey = (s: SplitFrame[]) => s.map((f) => `${f.split}#${f.branch}`).join('/');

function computeStructure(steps: Map<string, StepModel>): FlowStructure {
  const inStack = new Map<string, SplitFrame[]>();
  const arrivals = new Map<string, Array<{ from: string; stack: SplitFrame[] }>>();
  const conflicts: FlowStructure['conflicts'] = [];
  if (!steps.has('start')) return { inStack, arrivals, conflicts };
  inStack.set('start', []);
  const queue = ['start'];
  // An index, not shift(): shifting is linear, and flows can have thousands of steps.
  for (let head = 0; head < queue.length; head++) {
    const name = queue[head];
    const step = steps.get(name)!;
    const t = step.transition;
    if (!t) continue;
    const here = inStack.get(name)!;
    const base = step.hasInputs ? here.slice(0, -1) : here;
    const targets = t.kind === 'switch' && t.cases ? [...new Set(Object.values(t.cases))] : t.targets;
    targets.forEach((to, i) => {
      const target = steps.get(to);
      if (!target) return;
      const stack =
        t.kind === 'branch' ? [...base, { split: name, branch: i }] : t.kind === 'foreach' ? [...base, { split: name, branch: 0 }] : base;
      if (target.hasInputs) {
        if (!arrivals.has(to)) arrivals.set(to, []);
        arrivals.get(to)!.push({ from: name, stack });
      }
      const first = inStack.get(to);
      if (!first) {
        inStack.set(to, stack);
        queue.push(to);
      } else if (!target.hasInputs && stackKey(first) !== stackKey(stack)) {
        conflicts.push({ step: to, from: name, first, other: stack });
      }
    });
  }
  return { inStack, arrivals, conflicts };
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
