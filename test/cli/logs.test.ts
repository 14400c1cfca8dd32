// `flowspec logs`: a task's stored output (one stream alone for a pipe), every task of a step under
// its pathspec, the latest attempt or the one asked for, a cloned task's output after resume, bad
// pathspecs and attempts in one line; the same on an s3:// root.
import { strict as assert } from 'node:assert';
import { S3Server, startS3Server } from '../scaleout/support/s3server';
import { assertOneLine, cli, freshRoot, project } from '../faults/support';

const FLOW = `import { FlowSpec, Inputs, step, retry, current } from 'flowspec';

export class LogFlow extends FlowSpec {
  @step start() {
    console.log('hello from start');
    console.error('a warning from start');
    this.items = ['a', 'b', 'c'];
    this.next(this.each, { foreach: 'items' });
  }
  @step each() {
    console.log(\`item \${this.input}\`);
    this.next(this.join);
  }
  @step join(inputs: Inputs) { this.next(this.flaky); }
  @retry({ times: 1 })
  @step flaky() {
    console.log(\`attempt \${current.retryCount}\`);
    if (current.retryCount === 0) throw new Error('first attempt fails');
    if (process.env.FAIL_END) throw new Error('asked to fail');
    this.next(this.end);
  }
  @step end() {}
}
`;

/** The checks every root must pass: run 1 succeeds (its flaky step on its second attempt). */
function checkLogs(root: string, dir: string, env: NodeJS.ProcessEnv = {}): void {
  const logs = (...args: string[]) => cli(['logs', ...args], root, dir, env);
  const run = cli(['run', 'flow.ts'], root, dir, env);
  assert.equal(run.code, 0, run.stdout + run.stderr);

  const start = logs('LogFlow/1/start/1', '--stdout');
  assert.deepEqual([start.code, start.stdout, start.stderr], [0, 'hello from start\n', ''], 'one stream of one task: the output alone');
  assert.equal(logs('LogFlow/1/start/1', '--stderr').stdout, 'a warning from start\n');
  const both = logs('LogFlow/1/start');
  assert.equal(both.stdout, '== LogFlow/1/start/1 (attempt 0) ==\nstdout:\nhello from start\nstderr:\na warning from start\n');

  const each = logs('LogFlow/1/each', '--stdout');
  assert.equal(each.code, 0, each.stderr);
  const headed = [...each.stdout.matchAll(/^== (LogFlow\/1\/each\/\d+) \(attempt 0\) ==\n(.*)\n/gm)].map((m) => m[2]);
  assert.deepEqual(headed, ['item a', 'item b', 'item c'], each.stdout);

  const flaky = logs('LogFlow/1/flaky');
  assert.match(
    flaky.stdout,
    /^== LogFlow\/1\/flaky\/\d+ \(attempt 1 of 0-1\) ==\nstdout:\nattempt 1\nstderr:\n {2}\(nothing on stderr\)\n$/,
  );
  const first = logs('LogFlow/1/flaky', '--attempt', '0');
  assert.match(first.stdout, /\(attempt 0 of 0-1\) ==\nstdout:\nattempt 0\nstderr:\n(.|\n)*Error: first attempt fails/);

  assertOneLine(logs('LogFlow/1/flaky', '--attempt', '5'), 2, /LogFlow\/1\/flaky has no attempt 5 \(attempts: 0, 1\)/);
  assertOneLine(logs('LogFlow/1/each', '--attempt', '1'), 2, /no task of LogFlow\/1\/each has an attempt 1/);
  assertOneLine(logs('LogFlow/1/start/1', '--attempt', '2'), 2, /LogFlow\/1\/start\/1 has no attempt 2 \(attempts: 0\)/);
  assertOneLine(logs('LogFlow/1/start/9'), 2, /no task LogFlow\/1\/start\/9 \(tasks of LogFlow\/1\/start: 1\)/);
  assertOneLine(logs('LogFlow/1/nosuch'), 2, /no step LogFlow\/1\/nosuch/);
  assertOneLine(logs('LogFlow/7/start'), 2, /no run LogFlow\/7/);
  assertOneLine(logs('LogFlow/1'), 2, /'LogFlow\/1' is not a pathspec: expected FLOW\/RUN\/STEP\[\/TASK\]/);
  assertOneLine(logs('LogFlow/1/start', '--attempt', 'x'), 2, /--attempt needs a whole number/);
  assertOneLine(logs('LogFlow/1/start', '--stdout', '--stderr'), 2, /give --stdout or --stderr, or neither/);

  // A run that fails at flaky, resumed: the new run's start was cloned, and shows the output it had.
  assert.equal(cli(['run', 'flow.ts'], root, dir, { ...env, FAIL_END: '1' }).code, 1);
  assert.equal(cli(['resume', 'flow.ts'], root, dir, env).code, 0);
  const cloned = logs('LogFlow/3/start', '--stdout');
  assert.equal(cloned.stdout, '== LogFlow/3/start/1 (attempt 0, cloned from LogFlow/2/start/1) ==\nhello from start\n');
}

describe('flowspec logs', function () {
  this.timeout(180_000);

  it('shows what tasks printed, on a local root', () => {
    checkLogs(freshRoot(), project({ 'flow.ts': FLOW }));
  });

  describe('on an s3:// root', () => {
    let s3: S3Server;
    before(async () => {
      s3 = await startS3Server();
    });
    after(async () => {
      await s3?.close();
    });

    it('shows the same', () => {
      checkLogs(s3.root('logs'), project({ 'flow.ts': FLOW }), s3.env('logs'));
    });
  });
});
