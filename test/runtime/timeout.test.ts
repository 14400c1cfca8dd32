// @timeout raises in the step, as Metaflow's TimeoutException (its TimeoutDecoratorTest): busy,
// blocked or awaiting, the step gets a TimeoutError and @catchError keeps what it assigned before;
// only a step held in native code is killed, and the error says so.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { freshRoot, linesOf, runCli } from '../support/cli';

const FLOW = `import { FlowSpec, Parameter, catchError, step, timeout } from 'flowspec';
import { execSync } from 'node:child_process';

export class TimeoutFlow extends FlowSpec {
  how = Parameter('how', { default: 'busy' });

  @step start() { this.next(this.slow); }

  @catchError({ var: 'failure' })
  @timeout({ seconds: 1 })
  @step async slow() {
    this.check = true;
    if (this.how === 'busy') for (;;) {}
    if (this.how === 'blocked') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
    if (this.how === 'awaiting') {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      console.log('the timed-out step goes on');
    }
    if (this.how === 'busyAfterAwait') {
      await new Promise((resolve) => setTimeout(resolve, 10));
      for (;;) {}
    }
    if (this.how === 'native') execSync('sleep 20');
    this.next(this.end);
  }

  @step async end() {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    console.log('end is done');
  }
}
`;

function runTimeoutFlow(how: string) {
  const dir = freshRoot();
  writeFileSync(join(dir, 'package.json'), '{ "name": "timeouts", "private": true }\n');
  writeFileSync(join(dir, 'flow.ts'), FLOW);
  const root = join(dir, 'store');
  const r = runCli(['run', 'flow.ts', '--how', how, '--max-workers', '1'], root, {}, dir);
  assert.equal(r.code, 0, r.stderr);
  return { r, task: new Flow('TimeoutFlow', { root }).latestRun!.step('slow').task! };
}

describe('@timeout raises in the step', () => {
  const steps = {
    busy: 'in a busy loop',
    blocked: 'blocked in Atomics.wait',
    awaiting: 'that awaits',
    busyAfterAwait: 'busy after an await',
  };
  for (const [how, what] of Object.entries(steps)) {
    it(`a step ${what} gets a TimeoutError and @catchError keeps what it assigned before`, () => {
      const { r, task } = runTimeoutFlow(how);
      assert.equal(task.data.check, true);
      assert.equal(task.data.failure.type, 'TimeoutError');
      assert.equal(task.data.failure.message, "step 'slow' timed out after 1 s (@timeout)");
      assert.match(r.stderr, /\[1\/slow\/2 \(pid \d+\)\] TimeoutError: step 'slow' timed out after 1 s \(@timeout\)/);
      // The worker that ran the timed-out step retires: its pending code never runs in a later task.
      assert.doesNotMatch(r.stdout, /the timed-out step goes on/);
      assert.deepEqual(linesOf(r.stdout, 'end'), ['end is done']);
    });
  }

  it('a step held in native code is killed, and the error says why; what it assigned is lost', () => {
    const { task } = runTimeoutFlow('native');
    assert.equal(task.data.failure.type, 'TimeoutError');
    assert.match(
      task.data.failure.message,
      /did not yield to its @timeout of 1 s \(a blocking call such as execSync holds it\) and was killed/,
    );
    assert.equal('check' in task.artifacts, false);
  });
});
