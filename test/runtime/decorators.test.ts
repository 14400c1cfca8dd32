// @retry, @catchError, @timeout, switch, IncludeFile, tags and environment overrides.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { FLOWS, freshRoot, linesOf, REPO, runCli } from '../support/cli';

describe('step decorators', () => {
  it('@retry: failed attempts are retried; the last attempt counts', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'decorators.ts'), '--mode', 'retry'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /retrying \(attempt 2 of 3\)/);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['attempts=2 failure=none']);
    const task = new Flow('DecoratorFlow', { root }).latestRun!.step('flaky').task!;
    assert.equal(task.retryCount, 2);
    assert.equal(task.data.attempts, 2);
  });

  it('@catchError: stores the error in var and the run goes on', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'decorators.ts'), '--mode', 'catch'], root);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('DecoratorFlow', { root }).latestRun!;
    const failure = run.step('flaky').task!.data.failure;
    assert.equal(failure.type, 'TypeError');
    assert.equal(failure.message, 'always broken');
    assert.match(failure.stack, /decorators\.ts:\d+/);
    assert.equal(run.data.failure.message, 'always broken');
  });

  it('@timeout: a hanging step gets a TimeoutError, is retried, then caught with what it assigned', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'decorators.ts'), '--mode', 'timeout'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.stderr.match(/TimeoutError: step 'flaky' timed out after 1 s \(@timeout\)/g) ?? []).length, 3);
    const data = new Flow('DecoratorFlow', { root }).latestRun!.data;
    assert.equal(data.failure.type, 'TimeoutError');
    assert.equal(data.attempts, 2, 'the last attempt assigned attempts before it hung');
  });
});

describe('switch', () => {
  it('follows the case matching the condition, and loops back until done', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'switch.ts'), '--mode', 'slow'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['path=slow loss=0.125']);
    const run = new Flow('SwitchFlow', { root }).latestRun!;
    assert.deepEqual(
      run.steps().map((s) => s.name),
      ['start', 'slow', 'train', 'end'],
    );
    assert.equal(run.step('train').tasks().length, 3, 'each pass of the loop is its own task');
  });

  it('fails with the list of cases when no case matches', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'switch.ts'), '--mode', 'medium'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /switch in step 'start': no case for route = "medium" \(cases: fast, slow\)/);
  });
});

describe('IncludeFile, tags and environment overrides', () => {
  it('reads included files at run start, records tags and current', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'include.ts'), '--tag', 'exp1', '--tag', 'exp2', '--raw', 'package.json'], root);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('IncludeFlow', { root }).latestRun!;
    const data = run.step('start').task!.data;
    assert.equal(data.notes, 'remember the milk\n');
    assert.ok(Buffer.isBuffer(data.raw));
    assert.equal(JSON.parse(data.raw.toString()).name, 'flowspec');
    assert.deepEqual(data.tagsSeen, ['exp1', 'exp2'], "current.tags holds the user's tags only");
    assert.deepEqual(run.userTags, ['exp1', 'exp2']);
    assert.deepEqual(
      run.systemTags.map((t) => t.split(':')[0]),
      ['user', 'runtime'],
    );
    assert.deepEqual(run.tags, [...run.userTags, ...run.systemTags]);
    assert.deepEqual(
      new Flow('IncludeFlow', { root }).runs({ tags: ['exp2'] }).map((x) => x.id),
      ['1'],
    );
    assert.deepEqual(new Flow('IncludeFlow', { root }).runs({ tags: ['other'] }), []);
  });

  it('a missing included file is a clear error', () => {
    const r = runCli(['run', join(FLOWS, 'include.ts'), '--raw', 'nope.bin'], freshRoot());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /parameter 'raw': cannot read file 'nope.bin': ENOENT/);
  });

  it('FLOWSPEC_RUN_<PARAM> sets a parameter; the command line wins over it', () => {
    const root = freshRoot();
    assert.equal(runCli(['run', join(FLOWS, 'switch.ts')], root, { FLOWSPEC_RUN_MODE: 'slow' }).code, 0);
    assert.equal(runCli(['run', join(FLOWS, 'switch.ts'), '--mode', 'fast'], root, { FLOWSPEC_RUN_MODE: 'slow' }).code, 0);
    const [second, first] = new Flow('SwitchFlow', { root }).runs();
    assert.equal(first.parameters.mode, 'slow');
    assert.equal(first.parameterSources.mode, 'environment FLOWSPEC_RUN_MODE');
    assert.equal(second.parameters.mode, 'fast');
    assert.equal(second.parameterSources.mode, 'command line');
  });
});

describe('@retry in a local run', () => {
  it("retries at once when minutesBetweenRetries is not given (as Metaflow's local runtime)", () => {
    const root = freshRoot();
    // risky always fails; @retry({ times: 1 }) then @catchError. Waiting Argo's 2 minutes would hit the CLI timeout.
    const r = runCli(['run', join(REPO, 'test/fixtures/scaleout/decorated.ts')], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\/risky\/\d+ \(pid \d+\)\] Task failed; retrying \(attempt 2 of 2\)\.\n/);
    const risky = new Flow('DecoratedFlow', { root }).latestRun!.step('risky').task!;
    assert.deepEqual(
      risky.attempts().map((a) => a.successful),
      [false, true],
    );
  });
});
