// The picker's lists against a datastore written by the CLI, and the round trip: a ref built from
// the list runs, and the run records where the value came from.
import * as assert from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArtifacts, successfulRuns } from '../../client/reader/earlierRuns';
import { refsParamsText } from '../../client/paramsFile';
import { Flow } from '../../runtime/client';
import { freshRoot, REPO, runCli } from '../support/cli';

const FLOW = join(REPO, 'test/fixtures/params/chain.ts');

describe('earlier runs for the parameter picker', () => {
  let root: string;
  before(() => {
    root = freshRoot();
    for (const args of [
      ['--flow', 'ProduceFlow'],
      ['--flow', 'ProduceFlow', '--size', '5'],
      ['--flow', 'ConsumeFlow', '--model', '1', '--fail', 'true'],
    ]) {
      runCli(['run', FLOW, ...args], root);
    }
  });

  it('lists the successful runs of every flow, newest first, with their parameters', () => {
    const runs = successfulRuns(root);
    assert.deepStrictEqual(
      runs.map((r) => `${r.flow}/${r.id}`),
      ['ProduceFlow/2', 'ProduceFlow/1'],
      'the failed ConsumeFlow run is not offered',
    );
    assert.match(runs[0].description!, /^just now · size=5$/);
    assert.deepStrictEqual(successfulRuns(root, 1).length, 1);
    assert.deepStrictEqual(successfulRuns(join(root, 'nothing-here')), []);
  });

  it("lists a run's artifacts by ref path: the end task's, then each step's, indexed in a foreach", () => {
    const list = runArtifacts(root, 'ProduceFlow', '1');
    const paths = list.map((a) => a.path);
    assert.deepStrictEqual(
      paths.filter((p) => p.startsWith('outputs.')),
      ['outputs.model', 'outputs.size'],
      'the parameter size after the others',
    );
    assert.ok(paths.includes('start.shards'), 'not passed on by the join: from start');
    assert.ok(paths.includes('shard[0].part') && paths.includes('shard[1].part'), paths.join(' '));
    // A value that travels unchanged (same content hash) is listed once, at its first path.
    for (const dup of ['start.size', 'join.model', 'shard[0].model', 'shard[1].shards'])
      assert.ok(!paths.includes(dup), `${dup} in ${paths.join(' ')}`);
    const part = list.find((a) => a.path === 'shard[1].part')!;
    assert.deepStrictEqual([part.type, part.preview], ['number', '200']);
    assert.match(part.task, /^ProduceFlow\/1\/shard\/\d+$/);
  });

  it('gives refs the runtime resolves, and the run records their lineage', () => {
    const part = runArtifacts(root, 'ProduceFlow', '1').find((a) => a.path === 'shard[1].part')!;
    const file = join(mkdtempSync(join(tmpdir(), 'flowspec-refs-')), 'params.json');
    writeFileSync(file, refsParamsText({ model: { ref: 'flows.ProduceFlow.1', value: part.path } })!);
    const r = runCli(['run', FLOW, '--flow', 'ConsumeFlow', '--params', file, '--label', 'typed'], root);
    assert.strictEqual(r.code, 0, r.stderr);
    const run = new Flow('ConsumeFlow', { root }).latestRun!;
    assert.strictEqual(run.parameters.model, 200);
    assert.strictEqual(run.parameterSources.model, `ref ${part.task}.part`);
    assert.strictEqual(run.parameterSources.label, 'command line');
  });
});
