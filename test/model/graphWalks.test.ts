// The graph walks of model/graph.ts, checked on hundreds of random valid flows (fixed seeds)
// against what each flow was built to be: every user of the graph — the walks themselves, the
// analyzer (its split stacks, `show`'s order, its rules), the Argo export and the client API's
// step order — agrees on which join closes each split, on the loops and on the order of steps.
import { strict as assert } from 'node:assert';
import { analyzeText, flowGraph, stepOrder as analyzerOrder } from '../../analyzer';
import { backEdges, joinsOfSplits, ShapeStep, splitStructure, stepOrder, successorsOf } from '../../model/graph';
import { FlowGraph } from '../../runtime/argo/graph';
import { workflowTemplate } from '../../runtime/argo/workflow';
import type { StaticStep } from '../../runtime/datastore/records';
import { GeneratedFlow, generateFlow } from './support/randomFlows';

const FLOWS = 150;

function staticGraph(flow: GeneratedFlow): Record<string, StaticStep> {
  return Object.fromEntries(flow.steps.map((s) => [s.name, { kind: s.kind, targets: s.targets }]));
}

function shapeOf(flow: GeneratedFlow): Map<string, ShapeStep> {
  return new Map(flow.steps.map((s) => [s.name, { kind: s.kind, targets: s.targets, join: s.join }]));
}

/** Every edge that is not a loop's way back goes from an earlier step to a later one of `order`. */
function assertTopological(flow: GeneratedFlow, order: string[], who: string): void {
  assert.deepEqual([...order].sort(), flow.steps.map((s) => s.name).sort(), `${who}: every step once (seed ${flow.seed})`);
  const at = new Map(order.map((s, i) => [s, i]));
  for (const s of flow.steps)
    for (const t of s.targets)
      if (!flow.loopEdges.has(`${s.name}>${t}`))
        assert.ok(at.get(s.name)! < at.get(t)!, `${who}: ${s.name} before ${t} (seed ${flow.seed})\n${flow.source}`);
}

const sorted = (m: Map<string, string>) => [...m].sort(([a], [b]) => a.localeCompare(b));

describe('graph walks (model/graph.ts) on random valid flows', () => {
  const withLoops = Array.from({ length: FLOWS }, (_, i) => generateFlow(1000 + i, { loops: true }));
  const acyclic = Array.from({ length: FLOWS }, (_, i) => generateFlow(5000 + i, { loops: false }));

  it('the generator makes varied flows: splits nested in splits, switches, loops', () => {
    const all = [...withLoops, ...acyclic];
    const kinds = new Set(all.flatMap((f) => f.steps.map((s) => s.kind)));
    assert.deepEqual([...kinds].sort(), ['branch', 'end', 'foreach', 'linear', 'switch']);
    assert.ok(withLoops.filter((f) => f.loopEdges.size > 0).length > FLOWS / 4);
    assert.ok(all.some((f) => f.steps.length > 40));
    const nested = (f: GeneratedFlow) => {
      const { inStack } = splitStructure(shapeOf(f));
      return [...inStack.values()].some((stack) => stack.length >= 2);
    };
    assert.ok(all.filter(nested).length > FLOWS / 4);
  });

  it('the walks: each split closed by the join it was built with, loops found, steps in dependency order', () => {
    for (const flow of [...withLoops, ...acyclic]) {
      const succ = successorsOf(staticGraph(flow));
      assert.deepEqual(sorted(joinsOfSplits(splitStructure(shapeOf(flow)))), sorted(flow.joins), `seed ${flow.seed}`);
      assert.deepEqual(new Set(backEdges(succ, ['start']).map((e) => `${e.from}>${e.to}`)), flow.loopEdges, `seed ${flow.seed}`);
      assertTopological(flow, stepOrder(succ), 'stepOrder');
      // The client API orders a run's steps so when its task ids say nothing of launch order.
      assertTopological(flow, stepOrder(succ, 'reached'), "stepOrder 'reached' (client API)");
    }
  });

  it('the analyzer: no error, its split stacks close each split at its join, show lists the steps in the same order', () => {
    for (const flow of [...withLoops, ...acyclic]) {
      const result = analyzeText(`/flows/${flow.name}.ts`, flow.source);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors, [], `seed ${flow.seed}\n${flow.source}`);
      const model = result.flows[0];
      const joins = new Map<string, string>();
      for (const [join, arrivals] of flowGraph(model).structure.arrivals)
        for (const a of arrivals) joins.set(a.stack[a.stack.length - 1].split, join);
      assert.deepEqual(sorted(joins), sorted(flow.joins), `seed ${flow.seed}`);
      assert.deepEqual(analyzerOrder(model), stepOrder(successorsOf(staticGraph(flow))), `seed ${flow.seed}`);
    }
  });

  it('the analyzer reports a loop that is not a switch, on the edge that closes it', () => {
    // The flows with one loop and no other switch, the loop's switch made a plain transition.
    const cyclic = withLoops
      .filter((f) => f.loopEdges.size === 1 && f.steps.filter((s) => s.kind === 'switch').length === 1)
      .map((f) => ({
        flow: f,
        source: f.source.replace(
          /this\.next\(\{ again: this\.(\w+), done: this\.\w+ \}, \{ condition: 'route' \}\);/,
          'this.next(this.$1);',
        ),
      }));
    assert.ok(cyclic.length >= 5);
    for (const { flow, source } of cyclic) {
      const cycles = analyzeText(`/flows/${flow.name}.ts`, source).diagnostics.filter((d) => d.code === 'cycle');
      assert.deepEqual(
        cycles.map((d) => d.step),
        [...flow.loopEdges].map((e) => e.split('>')[0]),
        `seed ${flow.seed}`,
      );
    }
  });

  it('the Argo export: the same join for each split, every step in exactly one DAG of the template', () => {
    for (const flow of acyclic) {
      const graph = staticGraph(flow);
      const isJoin = (s: string) => flow.steps.find((x) => x.name === s)?.join ?? false;
      const argo = new FlowGraph(flow.name, graph, isJoin);
      for (const [split, join] of flow.joins) assert.equal(argo.joinOf(split), join, `seed ${flow.seed}`);
      const template = workflowTemplate(
        {
          flow: flow.name,
          sourceFile: `${flow.name}.ts`,
          codeKey: '.code/x/flow.js',
          graph,
          steps: new Map(flow.steps.map((s) => [s.name, { isJoin: s.join, meta: { isStep: true } }])),
          parameters: [],
        },
        { image: 'registry.example/flowspec', env: [] },
      );
      const tasks = template.spec.templates.flatMap((t) => t.dag?.tasks ?? []).filter((t) => t.template.startsWith('step-'));
      assert.deepEqual(
        tasks.map((t) => t.template.slice('step-'.length)).sort(),
        flow.steps.map((s) => s.name.toLowerCase()).sort(),
        `seed ${flow.seed}`,
      );
    }
  });
});
