// What a user sees when a step fails, when input is bad, and when a run is killed.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { EXAMPLES, FLOWS, freshRoot, REPO, runCli, startCli } from '../support/cli';
import { waitFor } from '../support/wait';

describe('failing steps', () => {
  it('an error fails the task with the stack mapped to the .ts file, and the run exits 1', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'failing.ts'), '--how', 'throw'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[1\/middle\/2 \(pid \d+\)\] Error: boom in middle/);
    assert.match(r.stderr, /failing\.ts:20:\d+/, 'the stack points at the flow file line');
    const run = new Flow('FailingFlow', { root }).latestRun!;
    assert.equal(run.successful, false);
    assert.equal(run.status, 'failed');
    const task = run.step('middle').task!;
    assert.equal(task.successful, false);
    assert.equal(task.exception!.message, 'boom in middle');
    assert.match(task.stderr, /boom in middle/);
    assert.equal(run.step('start').task!.successful, true);
  });

  it("the stack stays mapped to the .ts file, with the user's class name, after a worker's heap was collected", () => {
    // A worker keeps a code package for many tasks; its source map must outlive full collections.
    const dir = freshRoot();
    const file = join(dir, 'garbage.ts');
    writeFileSync(
      file,
      [
        "import { FlowSpec, step, Inputs } from 'flowspec';",
        'export class GarbageFlow extends FlowSpec {',
        '  @step start() {',
        '    this.items = [0, 1, 2];',
        "    this.next(this.work, { foreach: 'items' });",
        '  }',
        '  @step work() {',
        '    const kept: object[] = [];',
        '    for (let i = 0; i < 2_000_000; i++) kept.push({ i });',
        "    if (this.input === 2) throw new Error('boom at ' + this.input);",
        '    this.next(this.join);',
        '  }',
        '  @step join(inputs: Inputs) { this.next(this.end); }',
        '  @step end() {}',
        '}',
        '',
      ].join('\n'),
    );
    const r = runCli(['run', file, '--max-workers', '1'], join(dir, 'store'), {}, dir);
    assert.equal(r.code, 1);
    const stack = new Flow('GarbageFlow', { root: join(dir, 'store') })
      .latestRun!.step('work')
      .tasks()
      .find((t) => !t.successful)!.exception!.stack!;
    assert.match(stack, /^\s+at GarbageFlow\.work \(.*garbage\.ts:10:\d+\)$/m, stack);
    assert.doesNotMatch(stack, /flow\.js/);
    assert.match(r.stderr, /at GarbageFlow\.work \(.*garbage\.ts:10:\d+\)/);
  });

  it('process.exit in a step fails that task only', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'failing.ts'), '--how', 'exit'], root);
    assert.equal(r.code, 1);
    const task = new Flow('FailingFlow', { root }).latestRun!.step('middle').task!;
    assert.equal(task.exception!.type, 'TaskCrashed');
    assert.match(task.exception!.message, /exited with code 7/);
  });

  it('module state does not leak between tasks of one worker', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'failing.ts'), '--how', 'none', '--max-workers', '1'], root);
    assert.equal(r.code, 0, r.stderr);
    const data = new Flow('FailingFlow', { root }).latestRun!.data;
    assert.equal(data.counterAtStart, 1);
    assert.equal(data.counterInMiddle, 1);
  });

  it('a value that cannot be serialized fails the step naming the artifact', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'failing.ts'), '--how', 'unserializable'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /artifact 'fn' cannot be stored/);
  });

  it('parameters are read-only in steps', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'failing.ts'), '--how', 'readonly'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /parameter 'how' is read-only/);
  });
});

describe('bad input: one line on stderr, exit 2, no stack trace', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown file', ['run', 'nope.ts'], /no such flow file: nope\.ts/],
    ['syntax error', ['run', join(FLOWS, 'syntax_error.ts')], /syntax_error\.ts:\d+:\d+: /],
    ['no flow in the file', ['run', join(FLOWS, 'no_flow.ts')], /no flow in .*no_flow\.ts/],
    [
      'several flows, no --flow',
      ['run', join(FLOWS, 'two_flows.ts')],
      /several flows \(FirstFlow, SecondFlow\): choose one with --flow NAME/,
    ],
    ['unknown flow', ['run', join(FLOWS, 'two_flows.ts'), '--flow', 'Nope'], /no flow named 'Nope'/],
    [
      'unknown parameter',
      ['run', join(EXAMPLES, 'branch.ts'), '--beta', '1'],
      /unknown parameter --beta for BranchFlow \(parameters: --alpha\)/,
    ],
    ['missing required parameter', ['run', join(EXAMPLES, 'parameters.ts')], /missing required parameter --name/],
    ['ill-typed parameter', ['run', join(EXAMPLES, 'branch.ts'), '--alpha', 'fast'], /parameter 'alpha': 'fast' is not a number/],
    ['bad JSON', ['run', join(EXAMPLES, 'parameters.ts'), '--name', 'x', '--config', '{oops'], /parameter 'config': not valid JSON/],
    ['unknown flow in dump', ['dump', 'BranchFlow/42'], /no flow BranchFlow in the datastore \(it has none\)/],
    ['bad --max-workers', ['run', join(EXAMPLES, 'linear.ts'), '--max-workers', '0'], /--max-workers needs a whole number/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const r = runCli(args, freshRoot());
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^flowspec: /);
      assert.match(lines[0], message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }
});

describe('a killed run', () => {
  it('SIGKILL in the middle leaves earlier runs intact and the next run succeeds', async () => {
    const root = freshRoot();
    assert.equal(runCli(['run', join(FLOWS, 'slow.ts'), '--max-workers', '2'], root).code, 0);
    const first = new Flow('SlowFlow', { root }).run(1);
    const before = JSON.stringify(first.data);

    const killed = startCli(['run', join(FLOWS, 'slow.ts'), '--max-workers', '2'], root);
    await waitFor('a foreach task to finish', () => /\/work\/\d+ .*Task finished successfully/.test(killed.output()));
    process.kill(killed.child.pid!, 'SIGKILL');
    await killed.exited;

    const second = new Flow('SlowFlow', { root }).run(2);
    assert.equal(second.finished, true, 'a run whose process died is finished');
    assert.equal(second.status, 'crashed');
    assert.equal(JSON.stringify(new Flow('SlowFlow', { root }).run(1).data), before);

    const r = runCli(['run', join(FLOWS, 'slow.ts')], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /run-id 3/);
    assert.deepEqual(new Flow('SlowFlow', { root }).run(3).data.squares, [0, 1, 4, 9, 16, 25, 36, 49]);
  });
});

describe('an interrupted run', () => {
  it('Ctrl-C stops the workers and marks the run killed', async () => {
    const root = freshRoot();
    const run = startCli(['run', join(FLOWS, 'slow.ts'), '--max-workers', '2'], root);
    await waitFor('a foreach task to start', () => /\/work\/\d+ .*Task is starting/.test(run.output()));
    run.child.kill('SIGINT');
    assert.notEqual(await run.exited, 0);
    const killed = new Flow('SlowFlow', { root }).run(1);
    assert.equal(killed.status, 'killed');
    assert.equal(killed.finished, true);
    assert.ok(
      killed
        .step('work')
        .tasks()
        .filter((t) => t.successful).length < 8,
      'the foreach was stopped',
    );
    assert.equal(
      killed.steps().some((s) => s.name === 'end'),
      false,
    );
  });
});

describe('an invalid graph', () => {
  it('is refused before anything runs, naming each step and problem', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'invalid_graph.ts')], root);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /^flowspec: InvalidGraphFlow cannot run:/);
    assert.match(r.stderr, /invalid_graph\.ts:11:\d+: error unknown-step: 'nowhere' is not a step of InvalidGraphFlow/);
    assert.doesNotMatch(r.stdout, /Workflow starting/);
    assert.deepEqual(Flow.list({ root }), [], 'no run of InvalidGraphFlow was created');
  });

  it('a switch with fewer than two cases is refused (invalid-switch)', () => {
    const root = freshRoot();
    const r = runCli(['run', join(REPO, 'test/fixtures/analysis/invalid-switch/broken-one-case.ts')], root);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /broken-one-case\.ts:6:\d+: error invalid-switch: a switch needs at least two cases, this one has 1/);
    assert.deepEqual(Flow.list({ root }), [], 'no run of OneCaseFlow was created');
  });
});

describe('the pre-run check cache', () => {
  it('a cache folder that cannot be written does not stop a run', () => {
    const notAFolder = join(freshRoot(), 'file');
    writeFileSync(notAFolder, 'not a folder');
    const r = runCli(['run', join(EXAMPLES, 'linear.ts')], freshRoot(), { FLOWSPEC_CACHE_DIR: join(notAFolder, 'cache') });
    assert.equal(r.code, 0, r.stderr);
  });
});
