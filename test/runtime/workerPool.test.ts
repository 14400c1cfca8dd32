// Tasks waiting behind busy workers (runtime/scheduler/workerPool.ts, the scheduler's mayWait):
// with one worker, a foreach's short tasks are handed over one ahead, each waiting for the one
// before; what a user sees must be as if each task ran alone.
import { strict as assert } from 'node:assert';
import { Flow } from '../../runtime/client';
import { freshRoot } from '../support/cli';
import { cli, project } from '../faults/support';

const flow = (work: string) => `import { FlowSpec, Inputs, step } from 'flowspec';
export class PoolFlow extends FlowSpec {
  @step start() { this.items = Array.from({ length: 30 }, (_, i) => i); this.next(this.work, { foreach: 'items' }); }
  @step work() { ${work} this.y = this.input; this.next(this.join); }
  @step join(inputs: Inputs) { this.ys = [...inputs].map((i) => i.y); this.next(this.end); }
  @step end() {}
}
`;

describe('tasks waiting behind busy workers', function () {
  this.timeout(120_000);

  it("each task's output goes to its own log and under its own prefix", () => {
    const root = freshRoot();
    const dir = project({ 'flow.ts': flow("console.log('item ' + this.input); console.error('err ' + this.input);") });
    const r = cli(['run', 'flow.ts', '--max-workers', '1'], root, dir);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('PoolFlow', { root }).latestRun!;
    assert.deepEqual(
      run.data.ys,
      Array.from({ length: 30 }, (_, i) => i),
    );
    const output = `${r.stdout}${r.stderr}`;
    for (const task of run.step('work').tasks()) {
      const item = task.data.y as number;
      assert.equal(task.stdout, `item ${item}\n`, `the log of ${task.pathspec}`);
      assert.equal(task.stderr, `err ${item}\n`, `the log of ${task.pathspec}`);
      const prefix = `[${run.id}/work/${task.id} (pid `;
      const printed = r.stdout.split('\n').filter((l) => l.startsWith(prefix));
      assert.deepEqual(
        printed.map((l) => l.replace(/^\[.*?\] /, '')),
        ['Task is starting.', `item ${item}`, 'Task finished successfully.'],
        output,
      );
      assert.ok(r.stderr.split('\n').includes(`${printed[0].replace(/\] .*/, ']')} err ${item}`), output);
    }
  });

  it('a task that waited behind one whose worker died runs on another worker', () => {
    const root = freshRoot();
    // Item 0 is short, so item 1 may have the next one wait behind it; item 1 ends its worker.
    const dir = project({ 'flow.ts': flow('if (this.input === 1) process.exit(3);') });
    const r = cli(['run', 'flow.ts', '--max-workers', '1'], root, dir);
    assert.equal(r.code, 1, r.stdout);
    const tasks = new Flow('PoolFlow', { root }).latestRun!.step('work').tasks();
    const crashed = tasks.find((t) => !t.successful)!;
    assert.equal(crashed.exception!.type, 'TaskCrashed');
    assert.match(crashed.exception!.message, /exited with code 3/);
    // The item handed over behind it ran to the end, on a new worker; the run launched nothing after the failure.
    const succeeded = tasks.filter((t) => t.successful);
    assert.deepEqual(succeeded.map((t) => t.data.y).sort(), [0, 2], r.stdout);
    const pidOf = (taskId: string) =>
      Number(new RegExp(`\\[\\d+/work/${taskId} \\(pid (\\d+)\\)\\] Task is starting\\.`).exec(r.stdout)![1]);
    const waited = succeeded.find((t) => t.data.y === 2)!;
    assert.notEqual(pidOf(waited.id), pidOf(crashed.id));
  });
});
