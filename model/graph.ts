// Walks over a flow's graph, shared by the analyzer (show's step order, reachability), the
// resume plan (what comes after a step) and the client API (tasks in graph order). A graph here
// is only which steps each step's transition names, in declaration order.

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
  const back = backEdges(succ);
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

/** Edges `from>to` that close a loop, found by a depth-first walk from start (then from the rest). */
function backEdges(succ: Successors): Set<string> {
  const back = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const walk = (root: string) => {
    const stack: Array<{ step: string; next: number }> = [{ step: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length) {
      const top = stack[stack.length - 1];
      const targets = succ.get(top.step) ?? [];
      if (top.next < targets.length) {
        const t = targets[top.next++];
        if (state.get(t) === 'open') back.add(`${top.step}>${t}`);
        else if (!state.has(t) && succ.has(t)) {
          state.set(t, 'open');
          stack.push({ step: t, next: 0 });
        }
      } else {
        state.set(top.step, 'done');
        stack.pop();
      }
    }
  };
  if (succ.has('start')) walk('start');
  for (const step of succ.keys()) if (!state.has(step)) walk(step);
  return back;
}
