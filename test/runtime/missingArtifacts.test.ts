// Reading an artifact the task does not have throws, naming it, the step and the closest names
// (Metaflow's AttributeError), while `'x' in this`, members and probes of the instance keep working.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { freshRoot, runCli } from '../support/cli';

function flowFile(source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'flowspec-missing-')), 'flow.ts');
  writeFileSync(file, source);
  return file;
}

describe('reading a missing artifact', () => {
  it('fails the step with the artifact, the step and the closest name', () => {
    const file = flowFile(`import { FlowSpec, step } from 'flowspec';
export class PlaylistFlow extends FlowSpec {
  @step start() { this.playlist = ['a']; this.next(this.end); }
  @step end() { console.log(this.playlsit.length); }
}
`);
    const root = freshRoot();
    const r = runCli(['run', file], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown-artifact: 'playlsit' is not set in 'end'/, 'the pre-run check shows it first');
    const task = new Flow('PlaylistFlow', { root }).latestRun!.step('end').task!;
    assert.equal(task.exception!.type, 'UnknownArtifactError');
    assert.equal(
      task.exception!.message,
      "step 'end' of PlaylistFlow reads this.playlsit, an artifact this task does not have; did you mean 'playlist'?",
    );
  });

  it('in a join, says that a join starts with only the parameters', () => {
    const file = flowFile(`import { FlowSpec, Inputs, step } from 'flowspec';
export class JoinReadFlow extends FlowSpec {
  @step start() { this.next(this.a, this.b); }
  @step a() { this.x = 1; this.next(this.join); }
  @step b() { this.x = 2; this.next(this.join); }
  @step join(inputs: Inputs) { this.total = this.x; this.next(this.end); }
  @step end() {}
}
`);
    const root = freshRoot();
    assert.equal(runCli(['run', file], root).code, 1);
    const task = new Flow('JoinReadFlow', { root }).latestRun!.step('join').task!;
    assert.match(
      task.exception!.message,
      /reads this\.x, an artifact this task does not have: a join starts with only the parameters; read inputs\.<step>\.x/,
    );
  });

  it("keeps 'x' in this, members, constants, parameters, await and JSON of the instance working", () => {
    const file = flowFile(`import { FlowSpec, Parameter, step } from 'flowspec';
export class ProbeFlow extends FlowSpec {
  rate = Parameter('rate', { default: 2 });
  label = 'const';
  declared!: string;
  get twice() { return this.rate * 2; }
  helper() { return this.label; }
  @step async start() {
    const self = await Promise.resolve(this);
    this.report = [
      'nope' in this, 'label' in this, this.declared === undefined, this.twice, this.helper(),
      self === this, JSON.stringify(this).length > 0, String(this).length > 0, this.index === undefined,
    ];
    this.next(this.end);
  }
  @step end() {
    this.seen = 'report' in this && 'missing' in this === false;
  }
}
`);
    const root = freshRoot();
    const r = runCli(['run', file], root);
    assert.equal(r.code, 0, r.stderr);
    const data = new Flow('ProbeFlow', { root }).latestRun!.data;
    assert.deepEqual(data.report, [false, true, true, 4, 'const', true, true, true, true]);
    assert.equal(data.seen, true);
  });
});

describe('the client API on missing names', () => {
  let root: string;
  before(() => {
    const file = flowFile(`import { FlowSpec, step } from 'flowspec';
export class CountFlow extends FlowSpec {
  @step start() { this.count = 3; this.next(this.end); }
  @step end() { this.total = this.count * 2; }
}
`);
    root = freshRoot();
    const r = runCli(['run', file], root);
    assert.equal(r.code, 0, r.stderr);
  });

  it('run.data.nope and task.data.nope throw naming the artifact and the closest name', () => {
    const run = new Flow('CountFlow', { root }).latestRun!;
    assert.equal(run.data.total, 6);
    assert.throws(
      () => run.data.totl,
      (e: Error) =>
        e.name === 'UnknownArtifactError' &&
        e.message === `task CountFlow/${run.id}/end/2 has no artifact 'totl'; did you mean 'total'?; test one with 'totl' in data`,
    );
    const start = run.step('start').task!;
    assert.throws(() => start.data.nope, /task CountFlow\/\d+\/start\/1 has no artifact 'nope' \(it has 'count'\)/);
  });

  it("'x' in data, keys, JSON and promise probes keep working", async () => {
    const data = new Flow('CountFlow', { root }).latestRun!.data;
    assert.equal('total' in data, true);
    assert.equal('nope' in data, false);
    assert.equal('toString' in data, false, 'only artifact names, not those of a plain object');
    assert.deepEqual(Object.keys(data).sort(), ['count', 'total']);
    assert.deepEqual(JSON.parse(JSON.stringify(data)), { count: 3, total: 6 });
    assert.equal(await Promise.resolve(data), data);
  });

  it("new Flow('Nope') throws NotFoundError (Metaflow's MetaflowNotFound), with the closest flow", () => {
    assert.throws(
      () => new Flow('CountFlw', { root }),
      (e: Error) => e.name === 'NotFoundError' && e.message === "no flow CountFlw in the datastore; did you mean 'CountFlow'?",
    );
    assert.throws(() => new Flow('Elsewhere', { root }), /^NotFoundError: no flow Elsewhere in the datastore \(it has CountFlow\)$/);
    assert.deepEqual(
      Flow.list({ root }).map((f) => f.name),
      ['CountFlow'],
    );
  });
});
