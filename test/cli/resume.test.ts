// resume: clones every successful task of the origin (with STEP: every task before STEP) and runs
// the rest: in a foreach where one item failed, only that item, and what follows, runs again.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow, Run } from '../../runtime/client';
import { FLOWS, freshRoot, linesOf, runCli } from '../support/cli';

const FILE = join(FLOWS, 'resumable.ts');
const ALL_STEPS = ['start', 'outer', 'inner', 'joinInner', 'work', 'join', 'a', 'b', 'joinAB', 'end'];

/** Steps whose tasks were all cloned, and steps that ran again, in the resumed run. */
function clonedAndRerun(run: Run): { cloned: string[]; rerun: string[] } {
  const cloned: string[] = [];
  const rerun: string[] = [];
  for (const step of run.steps()) (step.tasks().every((t) => t.origin) ? cloned : rerun).push(step.name);
  return { cloned, rerun };
}

describe('resume', () => {
  const cases: Array<[string, string[]]> = [
    ['start', []],
    ['inner', ['start', 'outer']],
    ['work', ['start', 'outer', 'inner', 'joinInner']],
    ['join', ['start', 'outer', 'inner', 'joinInner', 'work']],
    ['b', ['start', 'outer', 'inner', 'joinInner', 'work', 'join', 'a']],
    ['end', ['start', 'outer', 'inner', 'joinInner', 'work', 'join', 'a', 'b', 'joinAB']],
  ];
  for (const [failAt, expectCloned] of cases) {
    it(`after a failure in ${failAt}: clones ${expectCloned.length ? expectCloned.join(', ') : 'nothing'}`, () => {
      const root = freshRoot();
      // One worker: tasks run in launch order, so everything before the failure has finished.
      const failed = runCli(['run', FILE, '--max-workers', '1'], root, { FAIL_AT: failAt });
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, new RegExp(`planned failure in ${failAt}`));
      const r = runCli(['resume', FILE], root);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(`Resuming ResumeFlow/1 as run 2\\.\\n  cloned: .*\\n  rerun:  the failed tasks of ${failAt} and what follows them\\n`),
      );
      assert.deepEqual(linesOf(r.stdout, 'end'), ['squares 0,1,4 labels 9 ab']);
      const run = new Flow('ResumeFlow', { root }).run(2);
      assert.equal(run.successful, true);
      assert.equal(run.origin!.id, '1');
      const { cloned, rerun } = clonedAndRerun(run);
      assert.deepEqual(cloned, expectCloned);
      assert.deepEqual(
        rerun,
        ALL_STEPS.filter((s) => !expectCloned.includes(s)),
      );
      // Cloned tasks point at the task they came from, and keep its data without copying it.
      for (const task of run
        .steps()
        .flatMap((s) => s.tasks())
        .filter((t) => t.origin)) {
        assert.equal(task.origin!.runId, '1');
        assert.deepEqual(Object.keys(task.artifacts).sort(), Object.keys(task.origin!.artifacts).sort());
      }
      assert.equal(run.data.squares.join(','), '0,1,4');
      // Every task that succeeded in the origin is cloned, siblings of the failed item included.
      const succeeded = new Flow('ResumeFlow', { root })
        .run(1)
        .steps()
        .flatMap((s) => s.tasks())
        .filter((t) => t.successful).length;
      assert.equal(
        run
          .steps()
          .flatMap((s) => s.tasks())
          .filter((t) => t.origin).length,
        succeeded,
      );
    });
  }

  it('a foreach where one item failed: the other items are cloned, the failed one, the join and what follows rerun', () => {
    const root = freshRoot();
    // One worker: tasks run in launch order, so items 0 and 1 are done when item 2 fails.
    assert.equal(runCli(['run', FILE, '--max-workers', '1'], root, { FAIL_AT: 'work' }).code, 1);
    const r = runCli(['resume', FILE], root);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('ResumeFlow', { root }).run(2);
    assert.deepEqual(
      run
        .step('work')
        .tasks()
        .map((t) => [t.data.square, Boolean(t.origin)]),
      [
        [0, true],
        [1, true],
        [4, false],
      ],
    );
    const rerun = run
      .steps()
      .flatMap((s) => s.tasks())
      .filter((t) => !t.origin)
      .map((t) => t.step);
    assert.deepEqual(rerun, ['work', 'join', 'a', 'b', 'joinAB', 'end']);
  });

  it('--run-id-file, --tag and --max-workers, as run has them', () => {
    const root = freshRoot();
    assert.equal(runCli(['run', FILE], root, { FAIL_AT: 'end' }).code, 1);
    const idFile = join(root, 'resumed-id');
    const r = runCli(['resume', FILE, '--run-id-file', idFile, '--tag', 'fixed', '--tag', 'retry2', '--max-workers', '2'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(idFile, 'utf8'), '2');
    assert.deepEqual(new Flow('ResumeFlow', { root }).run(2).userTags, ['fixed', 'retry2']);
    const bad = runCli(['resume', FILE, '--run-id-file', join(root, 'no/such/folder/id')], root);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^flowspec: --run-id-file .*: the folder .* does not exist; create it or name a file in an existing folder\n$/,
    );
    assert.equal(new Flow('ResumeFlow', { root }).runs().length, 2, 'no run is created');
    const workers = runCli(['resume', FILE, '--max-workers', '0'], root);
    assert.equal(workers.code, 2);
    assert.match(workers.stderr, /--max-workers needs a whole number of at least 1/);
  });

  it('resume STEP of a succeeded run reruns that step and what follows', () => {
    const root = freshRoot();
    assert.equal(runCli(['run', FILE], root).code, 0);
    const r = runCli(['resume', FILE, 'join'], root);
    assert.equal(r.code, 0, r.stderr);
    const { cloned } = clonedAndRerun(new Flow('ResumeFlow', { root }).run(2));
    assert.deepEqual(cloned, ['start', 'outer', 'inner', 'joinInner', 'work']);
  });

  it('--until stops after the step and --origin-run-id picks the run', () => {
    const root = freshRoot();
    assert.equal(runCli(['run', FILE], root, { FAIL_AT: 'start' }).code, 1);
    assert.equal(runCli(['run', FILE], root, { FAIL_AT: 'b' }).code, 1);
    const r = runCli(['resume', FILE, '--origin-run-id', '1', '--until', 'work'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Stopped after step 'work'/);
    const run = new Flow('ResumeFlow', { root }).run(3);
    assert.equal(run.origin!.id, '1');
    assert.deepEqual(
      run.steps().map((s) => s.name),
      ['start', 'outer', 'inner', 'joinInner', 'work'],
    );
  });

  it('refuses a succeeded run without STEP, and an unknown run', () => {
    const root = freshRoot();
    assert.equal(runCli(['run', FILE], root).code, 0);
    const r = runCli(['resume', FILE], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /succeeded: name a STEP/);
    const unknown = runCli(['resume', FILE, '--origin-run-id', '9'], root);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no run ResumeFlow\/9/);
  });
});

describe('resume in a switch loop', () => {
  it('clones the passes that finished before the failing one', () => {
    const root = freshRoot();
    const file = join(FLOWS, 'switch.ts');
    const failed = runCli(['run', file], root, { FAIL_PASS: '3' });
    assert.equal(failed.code, 1);
    const r = runCli(['resume', file], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['path=fast loss=0.125']);
    const train = new Flow('SwitchFlow', { root }).run(2).step('train').tasks();
    assert.deepEqual(
      train.map((t) => Boolean(t.origin)),
      [true, true, false],
      'passes 1 and 2 cloned, pass 3 rerun',
    );
    assert.deepEqual(
      train.map((t) => t.data.pass),
      [1, 2, 3],
    );
  });
});
