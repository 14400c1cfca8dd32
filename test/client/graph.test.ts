import * as assert from 'node:assert';
import { graphData } from '../../client/graph/graphData';
import { layoutGraph, pathData } from '../../client/webview/layout';
import type { FlowInfo } from '../../client/languageClient';

const r = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 8 } });
function step(name: string, kind: string, line: number, transition?: any): any {
  return {
    name,
    kind,
    range: r(line),
    fullRange: { start: { line, character: 0 }, end: { line: line + 2, character: 1 } },
    decorators: [],
    transition: transition ?? null,
    hasInputs: kind === 'join',
    assigns: [],
    reads: [],
  };
}
const flow = {
  name: 'F',
  range: r(0),
  parameters: [],
  steps: [
    step('start', 'start', 1, { kind: 'branch', targets: ['a', 'b'] }),
    step('a', 'foreach', 4, { kind: 'foreach', targets: ['each'], foreach: 'items' }),
    step('each', 'linear', 7),
    step('b', 'switch', 10, { kind: 'switch', targets: ['x', 'end'], condition: 'mode', cases: { fast: 'x', slow: 'end' } }),
    step('x', 'linear', 13),
    step('end', 'end', 16),
  ],
  edges: [
    { from: 'start', to: 'a', kind: 'branch' },
    { from: 'start', to: 'b', kind: 'branch' },
    { from: 'a', to: 'each', kind: 'foreach' },
    { from: 'each', to: 'end', kind: 'linear' },
    { from: 'b', to: 'x', kind: 'switch' },
    { from: 'b', to: 'end', kind: 'switch' },
    { from: 'x', to: 'nowhere', kind: 'linear' },
  ],
  diagnostics: [
    { code: 'unknown-step', severity: 'error', message: 'no step nowhere', range: r(14), flow: 'F', step: 'x' },
    { code: 'cycle', severity: 'error', message: 'something', range: r(5) },
    { code: 'x', severity: 'warning', message: 'class-level', range: r(0) },
  ],
} as unknown as FlowInfo;

describe('graph preview data and layout', () => {
  const data = graphData(flow, 'f.ts', 'TB');
  it('keeps every step and drops edges to steps that do not exist', () => {
    assert.deepStrictEqual(
      data.steps.map((s) => s.name),
      ['start', 'a', 'each', 'b', 'x', 'end'],
    );
    assert.ok(!data.edges.some((e) => e.to === 'nowhere'));
  });
  it('labels switch edges with their case and foreach steps with their artifact', () => {
    assert.deepStrictEqual(
      data.edges.filter((e) => e.kind === 'switch').map((e) => e.label),
      ['fast', 'slow'],
    );
    assert.strictEqual(data.steps[1].detail, 'foreach items');
    assert.strictEqual(data.steps[3].detail, 'switch mode');
  });
  it('puts diagnostics on their step, by name or by line, and keeps flow-level ones', () => {
    assert.deepStrictEqual(
      data.diagnostics.map((d) => d.step),
      ['x', 'a', undefined],
    );
  });
  it('lays out every node without overlaps, top-down', () => {
    const l = layoutGraph(data);
    assert.strictEqual(l.nodes.length, 6);
    const y = (n: string) => l.nodes.find((b) => b.name === n)!.y;
    assert.ok(y('start') < y('a') && y('a') < y('each') && y('each') < y('end'));
    for (const a of l.nodes)
      for (const b of l.nodes) {
        if (a === b) continue;
        const apart = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
        assert.ok(apart, `${a.name} overlaps ${b.name}`);
      }
    assert.strictEqual(l.edges.length, data.edges.length);
    assert.ok(l.edges.every((e) => e.points.length >= 2));
  });
  it('lays out left-right on request, and 200 steps (the time it takes: npm run bench:processes)', () => {
    const lr = layoutGraph({ ...data, direction: 'LR' });
    const x = (n: string) => lr.nodes.find((b) => b.name === n)!.x;
    assert.ok(x('start') < x('end'));
    const steps = Array.from({ length: 200 }, (_, i) => ({ name: `s${i}`, kind: 'linear' as const, decorators: [] }));
    const edges = steps.slice(1).map((s, i) => ({ from: `s${Math.floor(i / 3) * 3}`, to: s.name, kind: 'linear' as const }));
    const big = layoutGraph({ steps, edges, direction: 'TB' });
    assert.strictEqual(big.nodes.length, 200);
  });
  it('draws smooth paths through the points', () => {
    assert.strictEqual(
      pathData([
        { x: 0, y: 0 },
        { x: 10, y: 10 },
      ]),
      'M0,0 L10,10',
    );
    assert.match(
      pathData([
        { x: 0, y: 0 },
        { x: 5, y: 5 },
        { x: 10, y: 0 },
      ]),
      /^M0,0 Q5,5 10,0$/,
    );
  });
});
