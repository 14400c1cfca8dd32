// Graph shapes and mergeArtifacts rules, run end to end.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { FLOWS, freshRoot, linesOf, runCli } from '../support/cli';

describe('flow shapes', () => {
  it('nested foreach, a branch inside a foreach and a foreach inside a branch', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'nested.ts')], root);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const out = JSON.parse(linesOf(r.stdout, 'end')[0]);
    assert.deepEqual(out.all, ['LR:a1@0.0/3', 'LR:a2@0.1/3', 'LR:a3@0.2/3', 'LR:b1@1.0/3', 'LR:b2@1.1/3', 'LR:b3@1.2/3']);
    assert.deepEqual(out.doubled, [20, 40]);
    assert.equal(out.single, 'one');
    const run = new Flow('NestedFlow', { root }).latestRun!;
    assert.equal(run.step('inner').tasks().length, 6);
    assert.equal(run.step('joinSides').tasks().length, 6);
    assert.equal(run.step('joinInner').tasks().length, 2);
  });

  it('runs a flow with relative imports, and current gives the task pathspec', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'imports.ts')], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['value 42 from ImportFlow/1/start/1']);
  });

  it('picks a flow of a file with several by --flow, including one that is not exported', () => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'two_flows.ts'), '--flow', 'SecondFlow'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['second']);
  });
});

describe('mergeArtifacts', () => {
  const run = (mode: string) => {
    const root = freshRoot();
    const r = runCli(['run', join(FLOWS, 'merge_errors.ts'), '--mode', mode], root);
    return {
      ...r,
      end: r.code === 0 ? JSON.parse(linesOf(r.stdout, 'end')[0]) : undefined,
      task: new Flow('MergeFlow', { root }).latestRun!.step('join').task!,
    };
  };

  it('fails on an artifact the branches set differently, naming it and the steps', () => {
    const r = run('plain');
    assert.equal(r.code, 1);
    assert.match(r.task.exception!.message, /ambiguous artifact 'differs' \(differs between a and b\)/);
    assert.match(r.stderr, /Step 'join' failed/);
  });

  it('merges by content: equal values from different tasks are not ambiguous', () => {
    const r = run('assigned');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.end, { same: { deep: [1, 2] }, sameContent: { k: [1] }, onlyA: 1, differs: 'join' });
  });

  it('skips excluded artifacts', () => {
    const r = run('exclude');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.end.differs, undefined);
    assert.equal(r.end.onlyA, 1);
  });

  it('merges only the included artifacts', () => {
    const r = run('include');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.end, { same: { deep: [1, 2] }, onlyA: 1 });
  });

  it('rejects an included name that no input has', () => {
    const r = run('include-missing');
    assert.equal(r.code, 1);
    assert.match(r.task.exception!.message, /'nothere' in include is not an artifact of any input/);
  });

  it('rejects include and exclude together', () => {
    const r = run('both');
    assert.equal(r.code, 1);
    assert.match(r.task.exception!.message, /give include or exclude, not both/);
  });
});
