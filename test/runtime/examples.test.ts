// Every example flow, run end to end through the CLI, checked through its output and the client API.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { EXAMPLES, freshRoot, linesOf, runCli } from '../support/cli';

describe('example flows', () => {
  let root: string;
  beforeEach(() => {
    root = freshRoot();
  });

  it('linear: passes an artifact along three steps', () => {
    const r = runCli(['run', join(EXAMPLES, 'linear.ts')], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Workflow starting \(run-id 1\):/);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['message: HELLO!']);
    const run = new Flow('LinearFlow', { root }).latestRun!;
    assert.equal(run.successful, true);
    assert.deepEqual(
      run.steps().map((s) => s.name),
      ['start', 'shout', 'end'],
    );
    assert.equal(run.data.message, 'HELLO!');
    assert.equal(run.step('start').task!.data.message, 'hello');
  });

  it('branch: runs both branches and joins them by name and position', () => {
    const r = runCli(['run', join(EXAMPLES, 'branch.ts'), '--alpha', '0.5'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'join'), ['a is 1, total 3']);
    const run = new Flow('BranchFlow', { root }).latestRun!;
    assert.deepEqual(run.parameters, { alpha: 0.5 });
    assert.equal(run.data.total, 3);
    assert.equal(run.data.alpha, 0.5);
    // A join starts with only the parameters: x from the branches is gone.
    assert.equal('x' in run.data, false);
    assert.deepEqual(
      run.step('join').task!.parentTasks.map((t) => t.step),
      ['a', 'b'],
    );
  });

  it('foreach: one task per item, joined in split order', () => {
    const r = runCli(['run', join(EXAMPLES, 'foreach.ts')], root);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('ForeachFlow', { root }).latestRun!;
    assert.deepEqual(run.data.results, ['STRANGER THINGS (#0)', 'HOUSE OF CARDS (#1)', 'NARCOS (#2)']);
    const tasks = run.step('process').tasks();
    assert.equal(tasks.length, 3);
    assert.deepEqual(
      tasks.map((t) => t.index),
      [0, 1, 2],
    );
  });

  it('merge_artifacts: agreed artifacts pass the join, the join resolves the rest', () => {
    const r = runCli(['run', join(EXAMPLES, 'merge_artifacts.ts')], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['shared=set before the split score=0.8 onlyA=from a']);
  });

  it('parameters: typed values from the command line, defaults and JSON', () => {
    const r = runCli(
      ['run', join(EXAMPLES, 'parameters.ts'), '--name', 'Ada', '--epochs', '2', '--verbose', '--config', '{"lr":0.5}'],
      root,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'start'), ['hello Ada: 2 epochs, lr 0.5', 'epoch 0: loss 1', 'epoch 1: loss 0.5']);
    const run = new Flow('ParameterFlow', { root }).latestRun!;
    assert.deepEqual(run.parameters, { name: 'Ada', epochs: 2, verbose: true, config: { lr: 0.5 } });
    assert.deepEqual(run.data.losses, [1, 0.5]);
  });

  it('parameters: a JSON default given as a string is parsed', () => {
    const r = runCli(['run', join(EXAMPLES, 'parameters.ts'), '--name', 'Bo'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(new Flow('ParameterFlow', { root }).latestRun!.parameters.config, { lr: 0.01, layers: [64, 32] });
  });

  it('artifacts: Map, Set, Date, BigInt, typed arrays, Buffer and RegExp round-trip', () => {
    const r = runCli(['run', join(EXAMPLES, 'artifacts.ts')], root);
    assert.equal(r.code, 0, r.stderr);
    const data = new Flow('ArtifactFlow', { root }).latestRun!.step('start').task!.data;
    assert.deepEqual(data.plain, { name: 'flowspec', tags: ['a', 'b'], nested: { n: 1 } });
    assert.ok(data.map instanceof Map);
    assert.deepEqual(
      [...data.map],
      [
        ['one', 1],
        ['two', 2],
      ],
    );
    assert.deepEqual([...data.set], ['x', 'y']);
    assert.ok(data.when instanceof Date);
    assert.equal(data.when.toISOString(), '2026-01-02T03:04:05.000Z');
    assert.equal(data.big, 12345678901234567890n);
    assert.ok(data.floats instanceof Float64Array);
    assert.deepEqual([...data.floats], [1.5, 2.5]);
    assert.ok(Buffer.isBuffer(data.bytes));
    assert.equal(data.bytes.toString(), 'binary data');
    assert.equal(String(data.pattern), '/flow(spec)?/gi');
  });
});
