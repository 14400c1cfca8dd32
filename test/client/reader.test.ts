// The extension's datastore reader (client/reader/): a real flow is run by the CLI into a temp
// datastore (a project outside the repo, with its own package.json), then the reader's worker
// thread is asked what the Runs view, the graph, the cards and the prompts show, and each answer
// is compared with the runtime's client API. A worker that dies or hangs fails its requests with
// a message that says so, and the next request is answered by a new worker. Then the same over
// an s3:// datastore (the S3 test server).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatArtifactValue } from '../../client/artifactFormat';
import { resolveDatastoreRoot } from '../../client/datastoreRoot';
import { DatastoreReader } from '../../client/reader/proxy';
import { Flow } from '../../runtime/client';
import { runCli } from '../support/cli';
import { useS3Env } from '../support/s3';
import { S3Server, startS3Server } from '../scaleout/support/s3server';

const FLOW = `import { FlowSpec, Inputs, Parameter, card, step } from 'flowspec';

export class ReaderFlow extends FlowSpec {
  n = Parameter('n', { default: 3 });
  fail = Parameter('fail', { default: false });

  @card()
  @step start() {
    this.items = Array.from({ length: this.n }, (_, i) => i);
    this.when = new Date(0);
    this.next(this.square, { foreach: 'items' });
  }

  @step square() {
    if (this.fail && this.input === 1) throw new Error('no square for 1');
    this.sq = this.input * this.input;
    console.log('square of', this.input, 'is', this.sq);
    this.next(this.join);
  }

  @step join(inputs: Inputs) {
    this.total = [...inputs].reduce((sum, input) => sum + input.sq, 0);
    this.next(this.end);
  }

  @step end() {}
}
`;

/** A project outside the repo with the flow; returns the folder. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-reader-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'reader-test', private: true }));
  writeFileSync(join(dir, 'flow.ts'), FLOW);
  return dir;
}

function run(dir: string, root: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const r = runCli(['run', join(dir, 'flow.ts'), ...args], root, env, dir);
  assert.ok(r.code === 0 || args.includes('--fail'), r.stderr);
}

describe('datastore reader (worker thread)', function () {
  this.timeout(120_000);
  let dir: string;
  let root: string;
  let reader: DatastoreReader;

  before(() => {
    dir = project();
    root = join(dir, '.flowspec');
    run(dir, root, ['--n', '4', '--tag', 'nightly']);
    run(dir, root, ['--fail', 'true']);
    reader = new DatastoreReader();
  });
  after(() => reader.dispose());

  it("lists the user's namespace, or every run with flowspec.runs.allNamespaces", async () => {
    const shared = join(dir, '.flowspec-shared');
    run(dir, shared, []);
    run(dir, shared, [], { FLOWSPEC_USER: 'a-teammate' });
    const [mine] = await reader.request('flows', [shared], 10);
    const [every] = await reader.request('flows', [shared], 10, true);
    assert.deepEqual(
      mine.runs.map((r) => r.id),
      ['1'],
    );
    assert.deepEqual(
      every.runs.map((r) => r.id),
      ['2', '1'],
    );
  });

  it('lists the flows with their newest runs, as the client API does', async () => {
    const [flow, ...others] = await reader.request('flows', [root, join(dir, 'nothing-here')], 1);
    assert.equal(others.length, 0, 'a datastore that does not exist lists nothing');
    const runs = new Flow('ReaderFlow', { root }).runs();
    assert.deepEqual([flow.name, flow.total, flow.runs.map((r) => r.id)], ['ReaderFlow', 2, [runs[0].id]]);
    const all = await reader.request('flow', root, 'ReaderFlow', 50);
    assert.deepEqual(
      all.runs.map((r) => [r.id, r.state]),
      runs.map((r) => [r.id, r.status]),
    );
    const ok = all.runs.find((r) => r.state === 'success')!;
    const okRun = runs.find((r) => r.status === 'success')!;
    assert.deepEqual(ok.parameters, okRun.parameters);
    assert.deepEqual(
      [ok.userTags, ok.tags, ok.createdAt, ok.finishedAt, ok.sourceFile],
      [okRun.userTags, okRun.tags, okRun.createdAt.getTime(), okRun.finishedAt?.getTime(), okRun.record.sourceFile],
    );
    assert.deepEqual(ok.parameters, { n: 4, fail: false });
  });

  it("gives a run's steps and tasks, a failed task with its error", async () => {
    const [failed, ok] = new Flow('ReaderFlow', { root }).runs();
    const steps = await reader.request('steps', root, 'ReaderFlow', ok.id);
    assert.deepEqual(
      steps.map((s) => s.name),
      ok.steps().map((s) => s.name),
    );
    const square = steps.find((s) => s.name === 'square')!;
    const tasks = ok.step('square').tasks();
    assert.deepEqual(
      square.tasks.map((t) => [t.pathspec, t.index, t.finished, t.successful, t.startedAt]),
      tasks.map((t) => [t.pathspec, t.index, true, true, t.startedAt?.getTime()]),
    );
    const failedSquare = (await reader.request('steps', root, 'ReaderFlow', failed.id)).find((s) => s.name === 'square')!;
    const bad = failedSquare.tasks.find((t) => t.finished && !t.successful)!;
    assert.equal(bad.exception?.message, 'no square for 1');
    assert.equal(bad.index, 1);
  });

  it("gives a task's cards and artifacts, an artifact's value as text, a task's logs", async () => {
    const ok = new Flow('ReaderFlow', { root }).runs()[1];
    const start = ok.step('start').task!;
    const contents = await reader.request('taskContents', root, start.pathspec);
    assert.deepEqual(
      contents.cards.map((c) => [c.index, c.type, c.status]),
      start.cards.map((c) => [c.index, c.type, 'final']),
    );
    assert.deepEqual(
      contents.artifacts.map((a) => a.name),
      Object.keys(start.artifacts).sort(),
    );
    const items = contents.artifacts.find((a) => a.name === 'items')!;
    assert.deepEqual([items.type, items.preview], [start.artifacts.items.type, start.artifacts.items.preview]);
    assert.deepEqual(await reader.request('artifactText', root, start.pathspec, 'when'), formatArtifactValue(new Date(0)));
    assert.deepEqual(await reader.request('artifactText', root, start.pathspec, 'items'), {
      text: '[\n  0,\n  1,\n  2,\n  3\n]',
      language: 'json',
    });
    assert.equal(await reader.request('artifactText', root, start.pathspec, 'nothing'), undefined);
    const square = ok.step('square').tasks()[2];
    const logs = await reader.request('taskLogs', root, square.pathspec);
    assert.equal(logs.stdout, square.stdout);
    assert.match(logs.stdout, /square of 2 is 4/);
    const card = await reader.request('card', { root, pathspec: start.pathspec, index: 0 });
    assert.deepEqual(card, start.cards[0].data);
    assert.equal(await reader.request('card', { root, pathspec: start.pathspec, index: 5 }), undefined);
    assert.equal(await reader.request('cardPage', { root, pathspec: start.pathspec, index: 0 }), start.cards[0].localPath);
  });

  it("gives the graph's colours of the latest run, and the earlier runs for the prompts", async () => {
    const latest = await reader.request('latestRun', root, 'ReaderFlow');
    const failed = new Flow('ReaderFlow', { root }).runs()[0];
    assert.equal(latest?.id, failed.id);
    assert.deepEqual(
      [latest?.status, latest?.steps.square, latest?.steps.start, latest?.taskCounts.square],
      ['failed', 'failed', 'success', 3],
    );
    assert.deepEqual(latest?.cards?.start, { root, pathspec: failed.step('start').task!.pathspec });
    assert.equal(await reader.request('latestRun', root, 'NoSuchFlow'), undefined);
    const earlier = await reader.request('successfulRuns', root);
    assert.deepEqual(
      earlier.map((r) => `${r.flow}/${r.id}`),
      [new Flow('ReaderFlow', { root }).latestSuccessfulRun!.pathspec],
    );
    const artifacts = await reader.request('runArtifacts', root, 'ReaderFlow', earlier[0].id);
    assert.ok(
      artifacts.some((a) => a.path === 'join.total' || a.path === 'outputs.total'),
      artifacts.map((a) => a.path).join(' '),
    );
  });

  it("gives a spin's task beside the original's, changed artifacts marked, as the client API reads them", async () => {
    const spun = runCli(['spin', join(dir, 'flow.ts'), 'square', '--run-id', '1', '--index', '2'], root, {}, dir);
    assert.equal(spun.code, 0, spun.stderr);
    const spin = new Flow('ReaderFlow', { root }).latestSpin('square')!;
    const snapshot = (await reader.request('spin', root, 'ReaderFlow', spin.runId))!;
    assert.equal(snapshot.pathspec, spin.pathspec);
    assert.equal(snapshot.origin, spin.spunFrom!.pathspec);
    assert.equal(snapshot.successful, true);
    assert.deepEqual(
      snapshot.artifacts.find((a) => a.name === 'sq'),
      { name: 'sq', change: 'same', before: { type: 'number', preview: '4' }, after: { type: 'number', preview: '4' } },
    );
    assert.equal(await reader.request('spin', root, 'ReaderFlow', 'spin-99'), undefined);
  });

  it("changes a run's user tags as the client API does, and refuses a system tag", async () => {
    const [run] = new Flow('ReaderFlow', { root }).runs();
    assert.deepEqual(await reader.request('changeTags', root, 'ReaderFlow', run.id, { add: ['a', 'b'], remove: [] }), [...run.userTags]);
    assert.deepEqual(new Flow('ReaderFlow', { root }).run(run.id).userTags.slice(-2), ['a', 'b']);
    await reader.request('changeTags', root, 'ReaderFlow', run.id, { add: ['c'], remove: ['a'] });
    assert.deepEqual(new Flow('ReaderFlow', { root }).run(run.id).userTags.slice(-2), ['b', 'c']);
    const [summary] = (await reader.request('flow', root, 'ReaderFlow', 1)).runs;
    assert.deepEqual(summary.userTags.slice(-2), ['b', 'c'], 'the Runs view sees the change');
    await assert.rejects(
      reader.request('changeTags', root, 'ReaderFlow', run.id, { add: [], remove: [run.systemTags[0]] }),
      /system tags cannot be changed/,
    );
  });

  it('refuses a bad run name, and deletes a run', async () => {
    await assert.rejects(reader.request('deleteRun', root, 'ReaderFlow', '../1'), /bad run ReaderFlow\/\.\.\/1/);
    const [failed] = new Flow('ReaderFlow', { root }).runs();
    await reader.request('deleteRun', root, 'ReaderFlow', failed.id);
    assert.deepEqual(
      new Flow('ReaderFlow', { root })
        .runs()
        .map((r) => r.id)
        .includes(failed.id),
      false,
    );
    assert.equal((await reader.request('flow', root, 'ReaderFlow', 5)).total, 1);
  });

  it("answers a folder's project facts: its datastore as the CLI finds it, and whether Slurm is at hand", async () => {
    const flows = join(dir, 'flows');
    mkdirSync(flows, { recursive: true });
    const facts = await reader.request('folderFacts', flows, undefined);
    assert.equal(facts.datastoreRoot, resolveDatastoreRoot(flows, undefined));
    assert.equal((await reader.request('folderFacts', flows, 'elsewhere')).datastoreRoot, join(flows, 'elsewhere'), 'the setting first');
    writeFileSync(join(dir, 'flowspec.config.json'), JSON.stringify({ datastore: { root: 'store' }, slurm: { partition: 'gpu' } }));
    try {
      const configured = await reader.request('folderFacts', flows, '');
      assert.deepEqual(configured, { datastoreRoot: resolveDatastoreRoot(flows, ''), slurm: true });
    } finally {
      writeFileSync(join(dir, 'flowspec.config.json'), '{}');
    }
  });

  it('a worker that dies fails its request with a clear error; the next request starts a new one', async () => {
    // A worker that exits on its first request, the first time it is started; the real one after.
    const marker = join(mkdtempSync(join(tmpdir(), 'flowspec-reader-crash-')), 'crash');
    writeFileSync(marker, '');
    const script = join(dir, 'crashingReader.cjs');
    writeFileSync(
      script,
      `const { existsSync, rmSync } = require('node:fs');
const { parentPort } = require('node:worker_threads');
if (existsSync(${JSON.stringify(marker)})) {
  rmSync(${JSON.stringify(marker)});
  parentPort.once('message', () => process.exit(3));
} else {
  require(${JSON.stringify(require.resolve('tsx/cjs'))});
  require(${JSON.stringify(join(__dirname, '../../client/reader/worker.ts'))});
}
`,
    );
    const crashing = new DatastoreReader({ workerFile: script });
    try {
      await assert.rejects(crashing.request('flows', [root], 5), (e: Error) => {
        assert.equal(e.message, "the datastore reader stopped (exit code 3); it restarts with the next request (while reading 'flows')");
        return true;
      });
      const [flow] = await crashing.request('flows', [root], 5);
      assert.equal(flow.name, 'ReaderFlow');
    } finally {
      crashing.dispose();
    }
  });

  it('a request that gets no answer in time fails, and the worker is replaced', async () => {
    const script = join(dir, 'silentReader.cjs');
    writeFileSync(script, `require('node:worker_threads').parentPort.on('message', () => {});\n`);
    const silent = new DatastoreReader({ workerFile: script, timeoutMs: 1000 });
    try {
      await assert.rejects(
        silent.request('flows', [root], 5),
        /^Error: the datastore reader did not answer within 1 s; it was restarted \(while reading 'flows'\)$/,
      );
      await assert.rejects(
        silent.request('flows', [root], 5),
        /did not answer within 1 s/,
        'a new worker (this one silent too) got the next request',
      );
    } finally {
      silent.dispose();
    }
  });

  describe('over an s3:// datastore', () => {
    let s3: S3Server;
    let restoreEnv: () => void;
    let s3reader: DatastoreReader;
    before(async () => {
      s3 = await startS3Server();
      // The reader's worker inherits this process's environment: the S3 endpoint and keys.
      restoreEnv = useS3Env(s3);
      run(dir, s3.root('reader'), ['--n', '2'], s3.env('reader'));
      s3reader = new DatastoreReader();
    });
    after(async () => {
      s3reader?.dispose();
      restoreEnv?.();
      await s3?.close();
    });

    it('lists flows, runs, steps and artifacts as the Runs view shows them', async () => {
      const root = s3.root('reader');
      const [flow] = await s3reader.request('flows', [root], 10);
      assert.deepEqual(
        [flow.name, flow.total, flow.runs[0].state, flow.runs[0].parameters],
        ['ReaderFlow', 1, 'success', { n: 2, fail: false }],
      );
      const steps = await s3reader.request('steps', root, 'ReaderFlow', flow.runs[0].id);
      assert.deepEqual(
        steps.map((s) => [s.name, s.tasks.length]),
        [
          ['start', 1],
          ['square', 2],
          ['join', 1],
          ['end', 1],
        ],
      );
      const join_ = steps.find((s) => s.name === 'join')!.tasks[0];
      const contents = await s3reader.request('taskContents', root, join_.pathspec);
      assert.deepEqual(contents.artifacts.find((a) => a.name === 'total')?.preview, '1');
      assert.deepEqual(await s3reader.request('artifactText', root, join_.pathspec, 'total'), { text: '1', language: 'json' });
    });
  });
});
