// The structure of a flow's declared graph that a DAG engine needs: each step's predecessors,
// the join that closes each split, and the shapes an acyclic engine cannot run. Pure functions of
// the graph stored with the run (the analyzer's transitions) and of which steps are joins.
import { predecessorsOf, successorsOf } from '../../model/graph';
import type { StaticStep } from '../datastore/records';
import { UserError } from '../errors';

export class FlowGraph {
  private readonly predecessors: Map<string, string[]>;
  private readonly joins = new Map<string, string>();
  /** join → the split it closes. */
  readonly splitOf = new Map<string, string>();

  constructor(
    readonly flow: string,
    readonly steps: Record<string, StaticStep>,
    readonly isJoin: (step: string) => boolean,
  ) {
    this.predecessors = predecessorsOf(successorsOf(steps));
    this.checkAcyclic();
    for (const [name, step] of Object.entries(steps)) {
      if (step.kind !== 'branch' && step.kind !== 'foreach') continue;
      const join = this.findJoin(name);
      this.joins.set(name, join);
      this.splitOf.set(join, name);
    }
    this.checkSupported();
  }

  kind(step: string): StaticStep['kind'] {
    return this.steps[step]?.kind ?? 'end';
  }

  targets(step: string): string[] {
    return this.steps[step]?.targets ?? [];
  }

  preds(step: string): string[] {
    return this.predecessors.get(step) ?? [];
  }

  /** The join that closes a branch or foreach split. */
  joinOf(split: string): string {
    const join = this.joins.get(split);
    if (!join) throw new Error(`'${split}' is not a split of ${this.flow}`);
    return join;
  }

  /**
   * Walks from the split's targets, counting the splits opened and the joins passed: the first
   * join reached with nothing left open closes this split.
   */
  private findJoin(split: string): string {
    const seen = new Set<string>();
    const todo = this.targets(split).map((step) => ({ step, depth: 0 }));
    while (todo.length) {
      const { step, depth: before } = todo.shift()!;
      const key = `${step}@${before}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let depth = before;
      if (this.isJoin(step) && --depth < 0) return step;
      const kind = this.kind(step);
      if (kind === 'branch' || kind === 'foreach') depth++;
      for (const t of this.targets(step)) todo.push({ step: t, depth });
    }
    throw new UserError(`the split at '${split}' of ${this.flow} is never joined`);
  }

  private checkAcyclic(): void {
    const state = new Map<string, 'open' | 'done'>();
    const visit = (step: string, from: string | undefined): void => {
      if (state.get(step) === 'done') return;
      if (state.get(step) === 'open') {
        throw new UserError(
          `${this.flow} loops ('${from}' goes back to '${step}'): switch loops cannot run on Argo Workflows, whose DAGs have no cycles`,
        );
      }
      state.set(step, 'open');
      for (const t of this.targets(step)) visit(t, step);
      state.set(step, 'done');
    };
    visit('start', undefined);
  }

  private checkSupported(): void {
    for (const step of Object.keys(this.steps)) {
      const preds = this.preds(step);
      const switches = preds.filter((p) => this.kind(p) === 'switch');
      if (switches.length && preds.length > 1) {
        throw new UserError(
          `step '${step}' of ${this.flow} is reached from the switch in '${switches[0]}' and from ${preds
            .filter((p) => p !== switches[0])
            .map((p) => `'${p}'`)
            .join(', ')}: not supported on Argo Workflows (give the switch case a step of its own)`,
        );
      }
      const split = this.splitOf.get(step);
      if (split && this.kind(split) === 'branch' && preds.length !== this.targets(split).length) {
        throw new UserError(
          `join '${step}' of ${this.flow} is reached by ${preds.length} steps for the ${this.targets(split).length} branches of '${split}' (a switch inside a branch that does not meet again before the join): not supported on Argo Workflows`,
        );
      }
    }
  }
}
