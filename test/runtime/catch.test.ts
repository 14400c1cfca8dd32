// @catchError as Metaflow's @catch: the caught task keeps what the step assigned, carries no
// exception itself (its failed attempts do), and a caught crash or timeout in a branch or foreach
// takes its place at the join.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { FLOWS, freshRoot, linesOf, runCli } from '../support/cli';

const FILE = join(FLOWS, 'caught.ts');

describe('@catchError', () => {
  it('keeps the artifacts the step assigned before it threw; the error is only in var', () => {
    const root = freshRoot();
    const r = runCli(['run', FILE, '--flow', 'CaughtLinearFlow', '--how', 'throw'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['here=true ex=RangeError']);
    const task = new Flow('CaughtLinearFlow', { root }).latestRun!.step('risky').task!;
    assert.equal(task.successful, true);
    assert.equal(task.data.here, true);
    assert.equal(task.data.ex.message, 'risky failed');
    assert.equal(task.exception, null, 'the handled task carries no exception');
    const attempts = task.attempts();
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.successful]),
      [
        [0, false],
        [1, true],
      ],
    );
    assert.equal(attempts[0].exception!.message, 'risky failed', 'the failed attempt keeps its exception');
    assert.equal(attempts[1].exception, null);
  });

  it('sets var to null when the step does not fail', () => {
    const root = freshRoot();
    const r = runCli(['run', FILE, '--flow', 'CaughtLinearFlow', '--how', 'none'], root);
    assert.equal(r.code, 0, r.stderr);
    const data = new Flow('CaughtLinearFlow', { root }).latestRun!.step('risky').task!.data;
    assert.equal(data.ex, null);
    assert.equal(data.here, true);
  });

  for (const how of ['crash', 'hang']) {
    const type = how === 'crash' ? 'TaskCrashed' : 'TimeoutError';
    // A crashed task keeps none of its assignments; a step that timed out keeps those before the timeout.
    const kept = (value: string) => (how === 'crash' ? 'undefined' : value);
    describe(`a caught ${how === 'crash' ? 'crash' : 'timeout'}`, () => {
      it('in a branch: the join sees the caught task in its place', () => {
        const root = freshRoot();
        const r = runCli(['run', FILE, '--flow', 'CaughtBranchFlow', '--how', how], root);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(linesOf(r.stdout, 'join'), [`a: ex=${type} fromA=${kept('a')}; b: fromB=b`]);
        assert.equal(new Flow('CaughtBranchFlow', { root }).latestRun!.step('a').task!.exception, null);
      });

      it('in a foreach', () => {
        const root = freshRoot();
        const r = runCli(['run', FILE, '--flow', 'CaughtForeachFlow', '--how', how], root);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(linesOf(r.stdout, 'join'), [`0:ok ${kept('1')}:${type} 2:ok`]);
      });

      it('in a nested foreach', () => {
        const root = freshRoot();
        const r = runCli(['run', FILE, '--flow', 'CaughtNestedFlow', '--how', how], root);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(linesOf(r.stdout, 'joinOuter'), [`00:ok 01:ok | 10:ok ${kept('11')}:${type}`]);
      });
    });
  }
});
