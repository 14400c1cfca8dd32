// Which artifacts exist on entry to each step, and where they were assigned. Metaflow semantics:
// a join starts with only the parameters; an artifact from the branches exists after the join
// only if the join assigns it or mergeArtifacts propagates it.
import type { FlowModel, MergeCallModel, StepModel } from '../model/flowModel';
import { flowGraph, stepOrder } from './graph';

export interface ArtifactState {
  /** Steps whose assignment may be the current value (empty: absent on every path). Shared: never mutate. */
  sites: ReadonlySet<string>;
  /** Why the artifact is gone: a join neither assigned nor merged it. */
  lost?: { join: string; kind: 'ambiguous' | 'unmerged'; sites: ReadonlySet<string> };
  /** Some path to here does not assign it (a switch case, a loop's first pass): it may be unset. */
  maybe?: true;
}

const NO_SITES: ReadonlySet<string> = new Set();

export interface StepState {
  artifacts: Map<string, ArtifactState>;
  /** Some step on the way used `this` dynamically: absence proves nothing. */
  dynamic: boolean;
}

export interface JoinIncoming {
  /** Artifacts on the incoming branches: where assigned, and whether the values may differ. */
  artifacts: Map<string, { sites: ReadonlySet<string>; ambiguous: boolean }>;
  dynamic: boolean;
  /** The split the join closes, and whether it is a foreach (every task may differ). */
  split?: string;
  foreach: boolean;
  /**
   * Which input a site's value arrives on: the branch of the closed split the site runs in, or
   * -1 for a site before the split (its value arrives on every input). Sites of one branch are
   * alternatives (a switch picks one), so only sites on different inputs can disagree.
   */
  branchOf(site: string): number;
}

/** Can values assigned at sites `a` and `b` arrive on different inputs of the join? */
export function mayDiffer(inc: JoinIncoming, a: string, b: string): boolean {
  if (a === b) return inc.foreach && inc.branchOf(a) >= 0;
  if (inc.foreach) return inc.branchOf(a) >= 0 || inc.branchOf(b) >= 0;
  return inc.branchOf(a) !== inc.branchOf(b);
}

export interface DataFlow {
  entry: Map<string, StepState>;
  exit: Map<string, StepState>;
  joins: Map<string, JoinIncoming>;
}

/** Names a merge call propagates from the incoming artifacts. */
export function mergedNames(step: StepModel, merge: MergeCallModel, incoming: Iterable<string>): string[] {
  const out: string[] = [];
  for (const name of incoming) {
    if (merge.include && !merge.include.includes(name)) continue;
    if (merge.exclude && merge.exclude.includes(name)) continue;
    // Names the join set before merging are kept.
    if (step.assignments.some((a) => a.name === name && a.offset < merge.offset)) continue;
    out.push(name);
  }
  return out;
}

const computed = new WeakMap<FlowModel, DataFlow>();

/** The data flow of a flow, computed once per model object (the rules, hover and completion share it). */
export function computeDataFlow(flow: FlowModel): DataFlow {
  let df = computed.get(flow);
  if (!df) computed.set(flow, (df = dataFlowOf(flow)));
  return df;
}

function dataFlowOf(flow: FlowModel): DataFlow {
  const g = flowGraph(flow);
  const entry = new Map<string, StepState>();
  const exit = new Map<string, StepState>();
  const joins = new Map<string, JoinIncoming>();
  const order = stepOrder(flow).filter((n) => g.reachable.has(n));
  const position = new Map(order.map((n, i) => [n, i]));
  // A back edge (a switch loop, or an erroneous cycle) needs more than one pass.
  const hasLoop = g.edges.some((e) => (position.get(e.to) ?? 0) <= (position.get(e.from) ?? 0));

  const size = () => {
    let n = 0;
    for (const st of exit.values()) {
      n += st.artifacts.size + (st.dynamic ? 1 : 0);
      for (const a of st.artifacts.values()) n += a.sites.size + (a.maybe ? 1 : 0);
    }
    return n;
  };

  for (let pass = 0; pass < 25; pass++) {
    const before = hasLoop ? size() : 0;
    for (const name of order) {
      const step = g.steps.get(name)!;
      const preds = (g.preds.get(name) ?? []).filter((p) => exit.has(p));
      let state: StepState;
      if (step.hasInputs) {
        const frames = g.structure.inStack.get(name) ?? [];
        const closes = frames[frames.length - 1];
        const foreach = !!closes && g.steps.get(closes.split)?.transition?.kind === 'foreach';
        const depth = frames.length - 1;
        const incoming: JoinIncoming = {
          artifacts: new Map(),
          dynamic: false,
          split: closes?.split,
          foreach,
          branchOf: (site) => {
            const f = g.structure.inStack.get(site)?.[depth];
            return f && closes && f.split === closes.split ? f.branch : -1;
          },
        };
        const lostBefore = new Map<string, ArtifactState>();
        for (const p of preds) {
          const ps = exit.get(p)!;
          incoming.dynamic ||= ps.dynamic;
          for (const [a, st] of ps.artifacts) {
            if (st.sites.size === 0) {
              if (st.lost) lostBefore.set(a, st);
              continue;
            }
            const inc = incoming.artifacts.get(a);
            if (!inc) {
              incoming.artifacts.set(a, { sites: st.sites, ambiguous: false });
              continue;
            }
            if (inc.sites === st.sites) continue;
            const sites = new Set(inc.sites);
            for (const x of st.sites) sites.add(x);
            inc.sites = sites;
          }
        }
        for (const inc of incoming.artifacts.values()) {
          if (inc.sites.size === 1 && !foreach) continue;
          const sites = [...inc.sites];
          inc.ambiguous = sites.some((a, i) => sites.slice(i).some((b) => mayDiffer(incoming, a, b)));
        }
        joins.set(name, incoming);
        state = { artifacts: new Map(lostBefore), dynamic: incoming.dynamic };
        for (const [a, inc] of incoming.artifacts) {
          state.artifacts.set(a, {
            sites: NO_SITES,
            lost: { join: name, kind: inc.ambiguous ? 'ambiguous' : 'unmerged', sites: inc.sites },
          });
        }
      } else if (name === 'start' && preds.length === 0) {
        state = { artifacts: new Map(), dynamic: false };
      } else if (preds.length === 1) {
        state = exit.get(preds[0])!; // states are never mutated once built: share them
      } else {
        state = { artifacts: new Map(exit.get(preds[0])?.artifacts ?? []), dynamic: false };
        for (const p of preds) {
          const ps = exit.get(p)!;
          state.dynamic ||= ps.dynamic;
          for (const [a, st] of ps.artifacts) {
            const cur = state.artifacts.get(a);
            if (!cur) {
              state.artifacts.set(a, st);
              continue;
            }
            if (cur === st) continue;
            if (st.sites.size === 0 && cur.sites.size > 0) continue;
            const sites = new Set(cur.sites);
            for (const x of st.sites) sites.add(x);
            const lost = cur.lost ?? st.lost;
            state.artifacts.set(a, { sites, ...(lost ? { lost } : {}), ...(cur.maybe || st.maybe ? { maybe: true as const } : {}) });
          }
        }
        // Set on some incoming paths only: may be unset here.
        for (const [a, st] of state.artifacts) {
          if (st.sites.size === 0 || st.maybe) continue;
          if (preds.some((p) => !(exit.get(p)!.artifacts.get(a)?.sites.size ?? 0))) state.artifacts.set(a, { ...st, maybe: true });
        }
      }
      entry.set(name, state);

      // Transfer: merges, then the step's own assignments.
      const incoming = joins.get(name);
      if (!step.hasInputs && step.assigns.length === 0 && (!step.dynamic || state.dynamic)) {
        exit.set(name, state);
        continue;
      }
      const out: StepState = { artifacts: new Map(state.artifacts), dynamic: state.dynamic || step.dynamic };
      if (step.hasInputs && incoming) {
        for (const m of step.merges) {
          const names = m.dynamic ? [...incoming.artifacts.keys()] : mergedNames(step, m, incoming.artifacts.keys());
          for (const a of names) out.artifacts.set(a, { sites: incoming.artifacts.get(a)!.sites });
        }
      }
      const own: ArtifactState = { sites: new Set([name]) };
      for (const a of step.assigns) out.artifacts.set(a, own);
      // A step that uses `this` dynamically (Object.assign(this, ...)) may have set anything.
      if (step.dynamic) for (const [a, st] of out.artifacts) if (st.sites.size === 0) out.artifacts.set(a, own);
      exit.set(name, out);
    }
    if (!hasLoop || size() === before) break;
  }
  return { entry, exit, joins };
}
