import * as assert from 'node:assert';
import { RunLogTracker, expectedTaskCount, parseLogLine, progressMessage } from '../../client/runLog';

const LOG = `Workflow starting (run-id 3):
[3/start/1 (pid 10879)] Task is starting.
[3/start/1 (pid 10879)] Task finished successfully.
[3/left/2 (pid 10879)] Task is starting.
[3/right/3 (pid 10878)] Task is starting.
[3/left/2 (pid 10879)] left says hello hello
[3/left/2 (pid 10879)] Task finished successfully.
[3/right/3 (pid 10878)] Error: fail.flag is present
[3/right/3 (pid 10878)]     at _HelloFlow.right (/tmp/clitest/hello.ts:25:40)
[3/right/3 (pid 10878)] Task failed.
Step 'right' failed (task HelloFlow/3/right/3): Error: fail.flag is present`.split('\n');

describe('run log', () => {
  it('parses the [run/step/task (pid N)] prefix', () => {
    assert.deepStrictEqual(parseLogLine('[12/train/7 (pid 99)] loss 0.1'), { task: { runId: '12', step: 'train', taskId: '7', pid: 99 }, text: 'loss 0.1' });
    assert.deepStrictEqual(parseLogLine('Done! Run F/1 finished'), { text: 'Done! Run F/1 finished' });
  });
  it('follows a run: id, tasks done, the failed task', () => {
    const t = new RunLogTracker();
    for (const l of LOG) t.feed(l);
    assert.strictEqual(t.runId, '3');
    assert.strictEqual(t.done, 2);
    assert.deepStrictEqual(t.failedTask(), { runId: '3', step: 'right', taskId: '3', pid: 10878 });
  });
  it('names a task that never finished when none said it failed (killed run)', () => {
    const t = new RunLogTracker();
    for (const l of LOG.slice(0, 6)) t.feed(l);
    assert.strictEqual(t.failedTask()?.step, 'right');
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
