// The structure of a flow's declared graph that a DAG engine needs: each step's predecessors,
// the join that closes each split, and the shapes an acyclic engine cannot run. Pure functions of
// the graph stored with the run (the analyzer's transitions) and of which steps are joins; the
// walks themselves are model/graph.ts's.
import { backEdges, joinsOfSplits, predecessorsOf, splitStructure, successorsOf } from '../../model/graph';
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
    isJoin: (step: string) => boolean,
  ) {
    const succ = successorsOf(steps);
    this.predecessors = predecessorsOf(succ);
    const loop = backEdges(succ, ['start'])[0];
    if (loop) {
      throw new UserError(
        `${flow} loops ('${loop.from}' goes back to '${loop.to}'): switch loops cannot run on Argo Workflows, whose DAGs have no cycles`,
      );
    }
    const shape = new Map(Object.entries(steps).map(([name, step]) => [name, { ...step, join: isJoin(name) }]));
    const structure = splitStructure(shape);
    const joins = joinsOfSplits(structure);
    for (const [name, step] of Object.entries(steps)) {
      if (step.kind !== 'branch' && step.kind !== 'foreach') continue;
      const join = joins.get(name);
      // A split not reached from start (a warning of the analyzer's) is in no DAG: it needs no join.
      if (!join && structure.inStack.has(name)) throw new UserError(`the split at '${name}' of ${flow} is never joined`);
      if (!join) continue;
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
