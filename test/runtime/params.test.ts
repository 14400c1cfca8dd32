// --params PFILE: literal values, refs to earlier runs, toEnv, contextOnly, toInit, connections,
// and one clear error line for every kind of bad file.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { freshRoot, linesOf, REPO, runCli } from '../support/cli';

const DIR = join(REPO, 'test/fixtures/params');
const FLOW = join(DIR, 'chain.ts');

describe('params files', () => {
  let root: string;
  before(() => {
    root = freshRoot();
    assert.equal(runCli(['run', FLOW, '--flow', 'ProduceFlow'], root).code, 0);
  });

  it('chain: run B takes an artifact of run A; the client API shows where it came from', () => {
    const r = runCli(['run', FLOW, '--flow', 'ConsumeFlow', '--params', join(DIR, 'good.yaml'), '--label', 'cli'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['rate 0.25 label cli weights 3 env 0.25']);
    const run = new Flow('ConsumeFlow', { root }).latestRun!;
    assert.deepEqual(run.parameters.model, { weights: [0, 0.1, 0.2] });
    assert.equal(run.parameterSources.model, 'ref ProduceFlow/1/end/5.model');
    assert.match(run.parameterSources.rate, /^params file .*good\.yaml$/);
    assert.equal(run.parameterSources.label, 'command line', 'the command line wins over the file');
    const ref = run.parameterRefs.model;
    assert.equal(ref.task.pathspec, 'ProduceFlow/1/end/5');
    assert.deepEqual(ref.task.data[ref.artifact], run.parameters.model);
    const data = run.step('start').task!.data;
    assert.equal(data.seenEnv, '0.25', 'toEnv exports the value to the task environment');
    assert.deepEqual(data.context, { team: { name: 'vision', size: 4 } }, 'contextOnly values reach current.context');
    assert.deepEqual(data.files, ['data/config.txt', 'data/sub/a.txt'], 'toInit copies files and folders into a fresh working folder');
  });

  it('init-run (a run an engine drives) takes the same params file as run: toEnv, contextOnly, toInit', () => {
    const r = runCli(['init-run', FLOW, '--flow', 'ConsumeFlow', '--params', join(DIR, 'good.yaml')], root);
    assert.equal(r.code, 0, r.stderr);
    const record = new Flow('ConsumeFlow', { root }).run(r.stdout.trim()).record;
    assert.deepEqual(record.env, { RATE_VAR: '0.25' });
    assert.deepEqual(record.context, { team: { name: 'vision', size: 4 } });
    assert.deepEqual(
      record.init?.map((i) => [i.name, i.files.map((f) => f.target), i.dirs.map((d) => d.target)]),
      [['inputs', ['data/config.txt'], ['data/sub']]],
    );
  });

  it('a ref to one task of a step with several, by index', () => {
    const r = runCli(['run', FLOW, '--flow', 'ConsumeFlow', '--params', join(DIR, 'indexed_task.yaml')], root);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('ConsumeFlow', { root }).latestRun!;
    assert.equal(run.parameters.model, 200);
    assert.equal(run.parameterSources.model, 'ref ProduceFlow/1/shard/3.part');
  });

  it('toInit with a connection from flowspec.config.json resolves paths in the connection folder', () => {
    const r = runCli(['run', FLOW, '--flow', 'ConsumeFlow', '--params', join(DIR, 'connection.yaml')], root, {}, DIR);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(new Flow('ConsumeFlow', { root }).latestRun!.step('start').task!.data.files, ['config.txt']);
  });

  it('a JSON file names its flow with "$flow", which is not an entry', () => {
    const r = runCli(['run', FLOW, '--flow', 'ConsumeFlow', '--params', join(DIR, 'flow_key.json')], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linesOf(r.stdout, 'end'), ['rate 0.5 label none weights 2 env null']);
  });

  const errors: Array<[string, string, RegExp]> = [
    [
      'a file for another flow (its first line says so)',
      'other_flow.yaml',
      /params file .*other_flow\.yaml is for ProduceFlow, not ConsumeFlow/,
    ],
    ['a value of the wrong type', 'bad_type.yaml', /parameter 'rate': "fast" \(from params file .*\) is not a number/],
    ['an unknown parameter', 'unknown_param.yaml', /parameter 'rates': not a parameter of ConsumeFlow/],
    ['an unknown key', 'unknown_key.json', /unknown_key\.json:1:\d+: entry 'rate': unknown key 'tooEnv'/],
    ['a ref to a run that does not exist', 'missing_run.yaml', /parameter 'model': runs\.42: there is no run ConsumeFlow\/42/],
    ['a ref to a missing artifact', 'missing_artifact.yaml', /parameter 'model': ProduceFlow\/1\/end\/5 has no artifact 'nothing'/],
    ['a ref to a step with several tasks and no index', 'several_tasks.yaml', /has 2 tasks: say which, as shard\[0\]\.part/],
    ['a missing file', 'nope.yaml', /no such params file/],
  ];
  for (const [what, file, message] of errors) {
    it(`refuses ${what} before anything runs`, () => {
      const before = new Flow('ConsumeFlow', { root }).runs().length;
      const r = runCli(['run', FLOW, '--flow', 'ConsumeFlow', '--params', join(DIR, file)], root);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(new Flow('ConsumeFlow', { root }).runs().length, before, 'no run was created');
    });
  }

  it('a ref to a run that failed is refused', () => {
    const failedRoot = freshRoot();
    assert.equal(runCli(['run', FLOW, '--flow', 'ConsumeFlow', '--model', '{}', '--fail', 'true'], failedRoot).code, 1);
    const r = runCli(['run', FLOW, '--flow', 'ConsumeFlow', '--params', join(DIR, 'failed_ref.yaml')], failedRoot);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /parameter 'model': runs\.1: run ConsumeFlow\/1 did not succeed \(failed\)/);
  });
});
