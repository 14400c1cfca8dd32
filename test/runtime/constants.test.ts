// Class constants (fields with a value that are not Parameters), as Metaflow's class attributes:
// artifacts of every task from the start, read-only in steps.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { FLOWS, freshRoot, linesOf, runCli } from '../support/cli';

const FILE = join(FLOWS, 'constants.ts');

describe('class constants', () => {
  it('are artifacts of every task, joins included, without a step assigning them', () => {
    const root = freshRoot();
    const r = runCli(['run', FILE, '--flow', 'ConstantFlow'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['someConst=122 total=247']);
    const run = new Flow('ConstantFlow', { root }).latestRun!;
    for (const step of ['start', 'b', 'join', 'end']) {
      const data = run.step(step).task!.data;
      assert.equal(data.someConst, 122, step);
      assert.deepEqual(data.settings, { depth: 3 }, step);
    }
    const startArtifacts = Object.keys(run.step('start').task!.artifacts);
    assert.ok(
      !startArtifacts.includes('total') && !startArtifacts.includes('double'),
      'fields without a value and functions are not constants',
    );
    assert.equal(run.data.total, 247);
  });

  it('assigning one in a step fails the step with a clear error', () => {
    const root = freshRoot();
    const r = runCli(['run', FILE, '--flow', 'ConstantFlow', '--mode', 'assign'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /'someConst' is a class constant and read-only in steps/);
    assert.equal(
      new Flow('ConstantFlow', { root }).latestRun!.step('a').task!.exception!.message.startsWith("'someConst' is a class constant"),
      true,
    );
  });

  it('a constant that cannot be stored is refused before the run, in one line', () => {
    const root = freshRoot();
    const r = runCli(['run', FILE, '--flow', 'UnstorableConstantFlow'], root);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^flowspec: UnstorableConstantFlow\.marker is a class constant, stored as an artifact of every task: .*make it static\n$/,
    );
    assert.ok(!existsSync(join(root, 'UnstorableConstantFlow/runs')), 'no run is created');
  });
});
