// Golden tests of the graph renderers and of `show`: the whole rendered text is compared with
// test/fixtures/analysis/golden/<Flow>.<format>. UPDATE_FIXTURES=1 rewrites them (review by hand).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertGoldenText } from '../support/golden';
import { analyzeText, graphJson, renderDot, renderMermaid, renderShow, stepOrder, validateGraph } from '../../analyzer';

const FIX = join(__dirname, '../fixtures/analysis');
const GOLDEN = join(FIX, 'golden');

const CASES: Array<[file: string, flow: string]> = [
  ['branch.ts', 'BranchFlow'],
  ['nesting.ts', 'ForeachInBranchFlow'],
  ['switch.ts', 'SwitchLoopFlow'],
  ['foreach.ts', 'NestedForeachFlow'],
];
const FORMATS: Record<string, (f: any) => string> = {
  dot: renderDot,
  mmd: renderMermaid,
  json: (f) => JSON.stringify(graphJson(f), null, 2) + '\n',
  show: renderShow,
};

function flow(file: string, name: string) {
  const path = join(FIX, 'valid', file);
  return analyzeText(path, readFileSync(path, 'utf8')).flows.find((f) => f.name === name)!;
}

describe('graph renderers (golden)', () => {
  for (const [file, name] of CASES) {
    for (const [ext, render] of Object.entries(FORMATS)) {
      it(`${name}.${ext}`, () => {
        const actual = render(flow(file, name));
        const golden = join(GOLDEN, `${name}.${ext}`);
        assertGoldenText(golden, actual);
      });
    }
  }

  it('stepOrder is topological from start, loops ignored', () => {
    assert.deepEqual(stepOrder(flow('switch.ts', 'SwitchLoopFlow')), ['start', 'attempt', 'decide', 'end']);
    assert.deepEqual(stepOrder(flow('nesting.ts', 'NestedBranchFlow')), ['start', 'a', 'a1', 'a2', 'aJoin', 'b', 'b2', 'join', 'end']);
  });

  it('a flow with errors still renders, and validateGraph reports only graph rules', () => {
    const text = readFileSync(join(FIX, 'unknown-step/broken-typo.ts'), 'utf8');
    const f = analyzeText('typo.ts', text).flows[0];
    assert.match(renderMermaid(f), /step_process/);
    assert.deepEqual(
      validateGraph(f).map((d) => d.code),
      ['unknown-step', 'unreachable-step', 'unreachable-step'],
    );
    const merge = analyzeText('m.ts', readFileSync(join(FIX, 'ambiguous-artifact/broken-merge-literals.ts'), 'utf8')).flows[0];
    assert.deepEqual(validateGraph(merge), []);
  });
});
