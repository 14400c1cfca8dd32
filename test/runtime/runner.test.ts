// The Runner API from source (the packed package's tests are in test/project/runner.test.ts):
// resume of a failed run, a spin's lines streamed as they come, and a bad step refused.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncSpin, resume, run, RunnerError, spin } from '../../runtime/runner';

const FLOW = `import { FlowSpec, step } from 'flowspec';
export class ResumableFlow extends FlowSpec {
  @step start() { this.x = 1; this.next(this.b); }
  @step b() {
    if (process.env.FAIL_B) throw new Error('b failed on purpose');
    this.y = this.x * 2;
    console.log('b says ' + this.y);
    this.next(this.end);
  }
  @step end() {}
}
`;

describe('the Runner API', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-runner-'));
  const file = join(dir, 'flow.ts');
  const root = join(dir, '.flowspec');
  before(() => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'runner-source', private: true }));
    writeFileSync(file, FLOW);
  });

  it('resumes a failed run into a new Run whose origin is that run', async () => {
    const failed = await run(file, { root, env: { FAIL_B: '1' } });
    assert.equal(failed.status, 'failed');
    assert.match(failed.step('b').task!.exception!.message, /b failed on purpose/);
    const resumed = await resume(file, { root, originRunId: failed.id });
    assert.equal(resumed.successful, true);
    assert.equal(resumed.origin?.id, failed.id);
    assert.ok(resumed.step('start').task!.origin, 'start was cloned');
    assert.equal(resumed.step('b').task!.data.y, 2);
  });

  it("streams a spin's lines, then resolves to the spun task", async () => {
    const execution = asyncSpin(file, 'b', { root });
    const lines: string[] = [];
    for await (const line of execution) lines.push(line.text);
    const task = await execution.result;
    assert.equal(task.data.y, 2);
    assert.ok(
      lines.some((l) => /^\[spin-\d+\/b\/\d+ \(pid \d+\)\] b says 2$/.test(l)),
      lines.join('\n'),
    );
    assert.equal(task.spunFrom?.runId, '2');
  });

  it('rejects a step the flow does not have with the CLI line', async () => {
    await assert.rejects(
      spin(file, 'nope', { root }),
      (e: unknown) => e instanceof RunnerError && e.exitCode === 2 && /'nope' is not a step of ResumableFlow/.test(e.message),
    );
  });
});
