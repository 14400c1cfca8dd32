import * as assert from 'node:assert';
import { join } from 'node:path';
import { RunLogTracker, expectedTaskCount, parseLogLine, progressMessage } from '../../client/runLog';
import { FLOWS, freshRoot, runCli } from '../support/cli';

// Real output of `flowspec run`, so the reader is tested against what the writer prints: a flow
// whose middle step throws after start succeeded.
function failingRunLog(): string[] {
  const r = runCli(['run', join(FLOWS, 'failing.ts'), '--how', 'throw'], freshRoot());
  assert.strictEqual(r.code, 1, r.stderr);
  // stdout and stderr interleave on a terminal; the tracker reads both, in any order per task.
  return [...r.stdout.split('\n'), ...r.stderr.split('\n')];
}

describe('run log', () => {
  it('parses the [run/step/task (pid N)] prefix', () => {
    assert.deepStrictEqual(parseLogLine('[12/train/7 (pid 99)] loss 0.1'), {
      task: { runId: '12', step: 'train', taskId: '7', pid: 99 },
      text: 'loss 0.1',
    });
    assert.deepStrictEqual(parseLogLine('Done! Run F/1 finished'), { text: 'Done! Run F/1 finished' });
  });
  it('follows a run: id, tasks done, the failed task', () => {
    const t = new RunLogTracker();
    for (const l of failingRunLog()) t.feed(l);
    assert.strictEqual(t.runId, '1');
    assert.strictEqual(t.done, 1);
    assert.deepStrictEqual({ ...t.failedTask(), pid: undefined }, { runId: '1', step: 'middle', taskId: '2', pid: undefined });
    assert.ok(t.failedTask()!.pid! > 0, 'the pid is read');
  });
  it('names a task that never finished when none said it failed (killed run)', () => {
    const t = new RunLogTracker();
    for (const l of failingRunLog().filter((l) => !/Task failed/.test(l))) t.feed(l);
    assert.strictEqual(t.failedTask()?.step, 'middle');
  });
  it('knows the task count only without foreach or switch', () => {
    const step = (kind: string | null) => ({ transition: kind ? { kind } : null }) as any;
    assert.strictEqual(expectedTaskCount({ steps: [step('linear'), step('branch'), step(null)] }), 3);
    assert.strictEqual(expectedTaskCount({ steps: [step('foreach'), step(null)] }), undefined);
    assert.strictEqual(expectedTaskCount({ steps: [step('switch'), step(null)] }), undefined);
    assert.strictEqual(progressMessage(2, 5), '2/5 tasks');
    assert.strictEqual(progressMessage(1, undefined), '1 task done');
    assert.strictEqual(progressMessage(4, undefined), '4 tasks done');
  });
});
