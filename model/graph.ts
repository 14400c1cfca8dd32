// The walks over a flow's graph, each written once and iteratively (a flow of any size is fine):
// reachability, loops (back edges), the order of steps, and which join closes each split. Shared
// by the analyzer (rules, `show`, the editor), the runtime (resume, @catchError, the client API's
// step order) and the Argo export. A graph here is which steps each step's transition names, in
// declaration order; the split walk also needs each transition's kind and which steps are joins.

/** Step → the steps its transition names. The map's order is the steps' declaration order. */
export type Successors = ReadonlyMap<string, readonly string[]>;

/** The successors of a graph stored as records (`{ start: { targets: [...] } }`). */
export function successorsOf(graph: Readonly<Record<string, { targets: readonly string[] }>>): Successors {
  return new Map(Object.entries(graph).map(([step, s]) => [step, s.targets]));
}

/** Step → the steps whose transitions name it. */
export function predecessorsOf(succ: Successors): Map<string, string[]> {
  const preds = new Map<string, string[]>();
  for (const [step, targets] of succ) {
    for (const target of targets) {
      const list = preds.get(target) ?? [];
      if (!list.includes(step)) list.push(step);
      preds.set(target, list);
    }
  }
  return preds;
}

/** `from` and every step reachable from it. */
export function reachableFrom(succ: Successors, from: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const todo = [...from];
  while (todo.length) {
    const step = todo.pop()!;
    if (seen.has(step)) continue;
    seen.add(step);
    todo.push(...(succ.get(step) ?? []));
  }
  return seen;
}

/**
 * Steps in dependency order: a topological order from `start` in which a loop's way back (a
 * switch pointing to an earlier step) is ignored; then the steps not reachable from start, in
 * declaration order. Ties between steps ready at once go by declaration order (`show`), or by the
 * order in which they became ready, which is the order a scheduler launches them (`'reached'`).
 * Iterative, so a graph of any size is fine.
 */
export function stepOrder(succ: Successors, ties: 'declaration' | 'reached' = 'declaration'): string[] {
  const index = new Map([...succ.keys()].map((s, i) => [s, i]));
  const back = new Set(backEdges(succ, ['start', ...succ.keys()]).map((e) => `${e.from}>${e.to}`));
  const reachable = succ.has('start') ? reachableFrom(succ, ['start']) : new Set<string>();
  const indegree = new Map<string, number>([...succ.keys()].map((s) => [s, 0]));
  for (const [step, targets] of succ) {
    if (!reachable.has(step)) continue;
    for (const t of targets) if (!back.has(`${step}>${t}`) && indegree.has(t)) indegree.set(t, indegree.get(t)! + 1);
  }
  const order: string[] = [];
  const done = new Set<string>();
  const ready = [...succ.keys()].filter((s) => indegree.get(s) === 0 && reachable.has(s));
  while (ready.length) {
    if (ties === 'declaration') ready.sort((a, b) => (a === 'start' ? -1 : b === 'start' ? 1 : index.get(a)! - index.get(b)!));
    const step = ready.shift()!;
    order.push(step);
    done.add(step);
    for (const t of succ.get(step) ?? []) {
      if (back.has(`${step}>${t}`) || !indegree.has(t)) continue;
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0 && reachable.has(t)) ready.push(t);
    }
  }
  for (const step of succ.keys())
    if (!done.has(step)) {
      order.push(step);
      done.add(step);
    }
  return order;
}

/** An edge that closes a loop: `from` names `to` (its `index`-th target), an ancestor on the walk. */
export interface BackEdge {
  from: string;
  to: string;
  index: number;
  /** The steps of the loop, from `to` down to `from`. */
  loop: string[];
}

/**
 * The edges that close a loop, found by a depth-first walk from each of `roots` in turn (a root
 * already reached, or that is not a step, is skipped), targets in order. Targets that are not
 * steps are not followed.
 */
export function backEdges(succ: Successors, roots: Iterable<string>): BackEdge[] {
  const back: BackEdge[] = [];
  const state = new Map<string, 'open' | 'done'>();
  for (const root of roots) {
    if (state.has(root) || !succ.has(root)) continue;
    // The open steps, root first, with the next target of each to look at.
    const path: string[] = [root];
    const next: number[] = [0];
    const depth = new Map([[root, 0]]);
    state.set(root, 'open');
    while (path.length) {
      const top = path.length - 1;
      const step = path[top];
      const targets = succ.get(step)!;
      if (next[top] < targets.length) {
        const index = next[top]++;
        const t = targets[index];
        if (state.get(t) === 'open') back.push({ from: step, to: t, index, loop: path.slice(depth.get(t)) });
        else if (!state.has(t) && succ.has(t)) {
          state.set(t, 'open');
          depth.set(t, path.length);
          path.push(t);
          next.push(0);
        }
      } else {
        state.set(step, 'done');
        depth.delete(step);
        path.pop();
        next.pop();
      }
    }
  }
  return back;
}

/** A step as the split walk sees it. */
export interface ShapeStep {
  /** Its transition's kind; 'end' for a step without one. */
  kind: 'linear' | 'branch' | 'foreach' | 'switch' | 'end';
  /** The steps its transition names, in order. */
  targets: readonly string[];
  /** The step takes inputs: it closes the innermost split it is reached in. */
  join: boolean;
}

/** Step → its transition and whether it is a join, in declaration order. */
export type FlowShape = ReadonlyMap<string, ShapeStep>;

/** A frame of the split stack: which branch of which split a step runs in (a foreach's body is branch 0). */
export interface SplitFrame {
  split: string;
  branch: number;
}

export interface SplitStructure {
  /** Split stack on entry to each step reached from start (for a join: inside its split). */
  inStack: Map<string, SplitFrame[]>;
  /** Every edge that enters a join, with the stack it carries. */
  arrivals: Map<string, Array<{ from: string; stack: SplitFrame[] }>>;
  /** Edges that bring a stack different from the one the step was first reached with. */
  conflicts: Array<{ step: string; from: string; first: SplitFrame[]; other: SplitFrame[] }>;
}

export const stackKey = (s: SplitFrame[]) => s.map((f) => `${f.split}#${f.branch}`).join('/');

/**
 * The split stacks of a flow: walking from start (breadth first), a branch or foreach pushes a
 * frame for each target and a join pops the innermost. A graph with mistakes still gets an answer
 * (the analyzer reports the conflicts and the joins reached from several splits).
 */
export function splitStructure(shape: FlowShape): SplitStructure {
  const inStack = new Map<string, SplitFrame[]>();
  const arrivals = new Map<string, Array<{ from: string; stack: SplitFrame[] }>>();
  const conflicts: SplitStructure['conflicts'] = [];
  if (!shape.has('start')) return { inStack, arrivals, conflicts };
  inStack.set('start', []);
  const queue = ['start'];
  // An index, not shift(): shifting is linear, and flows can have thousands of steps.
  for (let head = 0; head < queue.length; head++) {
    const name = queue[head];
    const step = shape.get(name)!;
    const here = inStack.get(name)!;
    const base = step.join ? here.slice(0, -1) : here;
    const targets = step.kind === 'switch' ? [...new Set(step.targets)] : step.targets;
    targets.forEach((to, i) => {
      const target = shape.get(to);
      if (!target) return;
      const stack =
        step.kind === 'branch'
          ? [...base, { split: name, branch: i }]
          : step.kind === 'foreach'
            ? [...base, { split: name, branch: 0 }]
            : base;
      if (target.join) {
        if (!arrivals.has(to)) arrivals.set(to, []);
        arrivals.get(to)!.push({ from: name, stack });
      }
      const first = inStack.get(to);
      if (!first) {
        inStack.set(to, stack);
        queue.push(to);
      } else if (!target.join && stackKey(first) !== stackKey(stack)) {
        conflicts.push({ step: to, from: name, first, other: stack });
      }
    });
  }
  return { inStack, arrivals, conflicts };
}

/** Split → the join that closes it: the join whose arriving branches carry that split innermost. */
export function joinsOfSplits(structure: SplitStructure): Map<string, string> {
  const joins = new Map<string, string>();
  for (const [join, arrivals] of structure.arrivals) {
    for (const { stack } of arrivals) {
      const split = stack[stack.length - 1]?.split;
      if (split !== undefined && !joins.has(split)) joins.set(split, join);
    }
  }
  return joins;
}
