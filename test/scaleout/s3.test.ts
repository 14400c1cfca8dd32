// The S3-compatible datastore against a real S3 server (s3rver, started here): the backend's
// guarantees, then every example flow run through the CLI over S3 and compared, task by task, with
// the same flow run on a local folder; resume, `runs` and `dump` over S3; the project config file.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flow, Run } from '../../runtime/client';
import { openDatastore } from '../../runtime/datastore';
import { serializeArtifact } from '../../runtime/datastore/artifacts';
import type { RunRecord } from '../../runtime/datastore/records';
import { changeTags } from '../../runtime/datastore/tags';
import { EXAMPLES, FLOWS, freshRoot, linesOf, REPO, runCli, EXAMPLE_RUNS } from '../support/cli';
import { countRoundTrips, s3ServerForSuite } from '../support/s3';
import { snapshot } from './support/snapshot';

describe('S3 datastore', function () {
  this.timeout(120_000);
  const s3 = s3ServerForSuite();

  describe('the backend', () => {
    it('writes blobs once, documents whole, lists keys like folders and removes a prefix', () => {
      const ds = openDatastore(s3.root('unit/a'));
      assert.equal(ds.location, 's3://flowspec-test/unit/a');
      const hash = createHash('sha256').update('first').digest('hex');
      ds.putBlob('F', hash, Buffer.from('first'));
      ds.putBlob('F', hash, Buffer.from('second'));
      assert.equal(ds.getBlob('F', hash).toString(), 'first', 'a blob is written once: the second put found it and did nothing');
      assert.equal(ds.hasBlob('F', hash), true);
      assert.equal(ds.hasBlob('F', 'cd34'), false);
      ds.putBlob('F', 'ab12', Buffer.from('not what ab12 names'));
      assert.throws(
        () => ds.getBlob('F', 'ab12'),
        /damaged blob s3:\/\/flowspec-test\/unit\/a\/F\/blobs\/ab\/ab12/,
        'a blob is checked against its name when read',
      );
      ds.writeJson('F/runs/1/run.json', { a: 1 });
      ds.writeJson('F/runs/1/run.json', { a: 2 });
      assert.deepEqual(ds.readJson('F/runs/1/run.json'), { a: 2 });
      assert.equal(ds.readJson('F/runs/9/run.json'), undefined);
      ds.writeFile('F/runs/2/steps/start/1/task.json', '{}');
      assert.deepEqual(ds.list(''), ['F']);
      assert.deepEqual(ds.list('F'), ['blobs', 'runs']);
      assert.deepEqual(ds.list('F/runs'), ['1', '2']);
      assert.deepEqual(ds.list('F/runs/1'), ['run.json']);
      assert.deepEqual(ds.list('F/nothing'), []);
      ds.remove('F/runs/2');
      assert.deepEqual(ds.list('F/runs'), ['1']);
    });

    it('reads many files at once, in order, undefined where there is none', () => {
      const ds = openDatastore(s3.root('unit/many'));
      const names = Array.from({ length: 70 }, (_, i) => `F/runs/${i}/run.json`);
      for (const [i, key] of names.entries()) if (i % 7) ds.writeFile(key, `run ${i}`);
      const read = ds.readFiles(names);
      assert.deepEqual(
        read.map((b) => b?.toString()),
        names.map((_, i) => (i % 7 ? `run ${i}` : undefined)),
      );
      assert.deepEqual(ds.readFiles([]), []);
    });

    it('lists several prefixes at once, in order, [] where there is nothing', () => {
      const ds = openDatastore(s3.root('unit/lists'));
      const folders = Array.from({ length: 70 }, (_, i) => `F/runs/${i}/tags`);
      for (const [i, folder] of folders.entries()) if (i % 4) ds.writeFile(`${folder}/${i}.json`, '{}');
      assert.deepEqual(
        ds.listMany(folders),
        folders.map((_, i) => (i % 4 ? [`${i}.json`] : [])),
      );
      assert.deepEqual(ds.listMany([]), []);
    });

    it('createExclusive creates a key once', () => {
      const ds = openDatastore(s3.root('unit/b'));
      assert.equal(ds.createExclusive('F/runs/1/status.json', { n: 1 }), true);
      assert.equal(ds.createExclusive('F/runs/1/status.json', { n: 2 }), false);
      assert.deepEqual(ds.readJson('F/runs/1/status.json'), { n: 1 });
    });

    it('appends to logs, and stores them before any other write', () => {
      const ds = openDatastore(s3.root('unit/c'));
      ds.append('F/log', 'one\n');
      ds.append('F/log', 'two\n');
      assert.equal(ds.readFile('F/log')?.toString(), 'one\ntwo\n');
      ds.append('F/log', 'three\n');
      ds.writeJson('F/record.json', { done: true });
      // A second process sees the log complete as soon as the record exists.
      const other = openDatastore(s3.root('unit/c'));
      assert.equal(other.readFile('F/log')?.toString(), 'one\ntwo\nthree\n');
    });

    it('gives a local path for a code package, downloaded once into the cache', () => {
      const ds = openDatastore(s3.root('unit/d'));
      ds.writeFile('.code/feed/flow.js.map', '{}');
      ds.writeFile('.code/feed/flow.js', 'module.exports = 42;');
      const cache = process.env.FLOWSPEC_S3_CACHE_DIR!;
      const path = ds.localPath('.code/feed/flow.js')!;
      assert.ok(path.startsWith(cache), path);
      assert.deepEqual(readdirSync(join(path, '..')).sort(), ['flow.js', 'flow.js.map']);
    });
  });

  for (const example of EXAMPLE_RUNS) {
    it(`${example.file}: runs over S3 and stores what a run on a local folder stores`, () => {
      const root = s3.root(`examples/${example.flow}`);
      const r = runCli(['run', join(EXAMPLES, example.file), ...example.args], root, s3.env(`examples/${example.flow}`));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Workflow starting \(run-id 1\):/);
      const local = freshRoot();
      const l = runCli(['run', join(EXAMPLES, example.file), ...example.args], local);
      assert.equal(l.code, 0, l.stderr);
      for (const step of ['start', 'end']) assert.deepEqual(linesOf(r.stdout, step), linesOf(l.stdout, step));

      const overS3 = new Flow(example.flow, { root }).latestRun!;
      const onDisk = new Flow(example.flow, { root: local }).latestRun!;
      assert.equal(overS3.successful, true);
      assert.deepEqual(overS3.parameters, onDisk.parameters);
      assert.deepEqual(
        overS3.steps().map((s) => s.name),
        onDisk.steps().map((s) => s.name),
      );
      assert.deepEqual(snapshot(overS3), snapshot(onDisk));
      assert.deepEqual(
        Flow.list({ root }).map((f) => f.name),
        [example.flow],
      );
    });
  }

  it('resume over S3 clones every successful task and reruns the rest', () => {
    const prefix = 'resume';
    const env = s3.env(prefix);
    const file = join(FLOWS, 'resumable.ts');
    const failed = runCli(['run', file], s3.root(prefix), { ...env, FAIL_AT: 'work' });
    assert.equal(failed.code, 1);
    const resumed = runCli(['resume', file], s3.root(prefix), env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /Resuming ResumeFlow\/1 as run 2/);
    const run = new Flow('ResumeFlow', { root: s3.root(prefix) }).run('2');
    assert.equal(run.successful, true);
    assert.equal(run.origin?.id, '1');
    assert.deepEqual(run.data.squares, [0, 1, 4]);
    assert.ok(
      run
        .step('inner')
        .tasks()
        .every((t) => t.record?.origin?.startsWith('ResumeFlow/1/inner/')),
      'the inner foreach tasks are cloned',
    );
    const work = run.step('work').tasks();
    const succeeded = new Flow('ResumeFlow', { root: s3.root(prefix) })
      .run('1')
      .step('work')
      .tasks()
      .filter((t) => t.successful).length;
    assert.equal(work.filter((t) => t.record?.origin).length, succeeded, 'every work task that succeeded is cloned');
    assert.ok(
      work.some((t) => !t.record?.origin && t.data.square === 4),
      'the failed item runs again',
    );
  });

  it('runs and dump read runs from S3', () => {
    const prefix = 'cli';
    const env = s3.env(prefix);
    assert.equal(runCli(['run', join(EXAMPLES, 'branch.ts')], s3.root(prefix), env).code, 0);
    const runs = runCli(['runs', '--json'], s3.root(prefix), env);
    assert.equal(runs.code, 0, runs.stderr);
    const rows = JSON.parse(runs.stdout);
    assert.deepEqual(
      rows.map((r: { flow: string; run: string; status: string }) => [r.flow, r.run, r.status]),
      [['BranchFlow', '1', 'success']],
    );
    const dump = runCli(['dump', 'BranchFlow/1/join', '--json'], s3.root(prefix), env);
    assert.equal(dump.code, 0, dump.stderr);
    assert.equal(JSON.parse(dump.stdout)[0].artifacts.total.preview, '3');
    const missing = runCli(['dump', 'BranchFlow/7'], s3.root(prefix), env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no run BranchFlow\/7/);
  });

  it("the client lists 300 runs newest first, a page of records at a time, each run's status right, a folder without run.json left out", () => {
    const prefix = 'many';
    const env = s3.env(prefix);
    assert.equal(runCli(['run', join(EXAMPLES, 'linear.ts')], s3.root(prefix), env).code, 0);
    const ds = openDatastore(s3.root(prefix));
    const record = ds.readJson<Record<string, unknown>>('LinearFlow/runs/1/run.json')!;
    // Runs 2..300 as copies of run 1, every third one failed; 150 is a folder without run.json (a run being created).
    for (let i = 2; i <= 300; i++) {
      if (i === 150) {
        ds.writeJson(`LinearFlow/runs/${i}/status.json`, { status: 'running' });
        continue;
      }
      ds.writeJson(`LinearFlow/runs/${i}/run.json`, { ...record, runId: String(i) });
      ds.writeJson(`LinearFlow/runs/${i}/status.json`, { status: i % 3 ? 'success' : 'failed', finishedAt: new Date().toISOString() });
    }
    const flow = new Flow('LinearFlow', { datastore: ds, namespace: null });
    const runs = flow.runs();
    assert.equal(runs.length, 299);
    assert.deepEqual(
      runs.slice(0, 4).map((r) => [r.id, r.status]),
      [
        ['300', 'failed'],
        ['299', 'success'],
        ['298', 'success'],
        ['297', 'failed'],
      ],
    );
    assert.ok(!runs.some((r) => r.id === '150'));
    assert.equal(runs[runs.length - 1].id, '1');
    assert.equal(flow.latestRun!.id, '300');
    assert.equal(flow.latestSuccessfulRun!.id, '299');
    assert.equal(runs.filter((r) => r.successful).length, 200);
  });

  it("the client reads the listed runs' tags and parameter values a page at a time, as each run alone reads them", () => {
    const prefix = 'pages';
    const env = s3.env(prefix);
    const { file, flow: name, args } = EXAMPLE_RUNS.find((e) => e.flow === 'ParameterFlow')!;
    assert.equal(runCli(['run', join(EXAMPLES, file), ...args], s3.root(prefix), env).code, 0);
    const ds = openDatastore(s3.root(prefix));
    const record = ds.readJson<RunRecord>(`${name}/runs/1/run.json`)!;
    assert.equal(record.parameters.name.value, 'Ada', 'a small value is kept in the run record');
    // Runs 2..100 as copies of run 1, each greeting someone else (its own value, in its blob only, as
    // runs stored before values were kept); every seventh tagged after the fact; run 50 with a damaged
    // tag change, run 60 naming a value whose blob is damaged.
    const { value: _kept, ...nameRecord } = record.parameters.name;
    for (let i = 2; i <= 100; i++) {
      const { bytes, info } = serializeArtifact('name', `person ${i}`);
      ds.putBlob(name, info.hash, i === 60 ? Buffer.from('not the value') : bytes);
      const copy = { ...record, runId: String(i), parameters: { ...record.parameters, name: { ...nameRecord, ...info } } };
      ds.writeJson(`${name}/runs/${i}/run.json`, copy);
      ds.writeFile(`${name}/runs/${i}/status.json`, ds.readFile(`${name}/runs/1/status.json`)!);
      if (i % 7 === 0) changeTags(ds, copy, { add: [`seventh-${i}`], remove: [] });
    }
    ds.writeJson(`${name}/runs/50/tags/000000000000001-1-00000000.json`, { add: 'not a list' });
    const readOrError = (read: () => unknown) => {
      try {
        return read();
      } catch (e) {
        return (e as Error).message;
      }
    };
    const seen = (run: Run): [string, unknown, unknown] => [run.id, readOrError(() => run.userTags), readOrError(() => run.parameters)];
    const trips = countRoundTrips(ds);
    const listed = new Flow(name, { datastore: ds, namespace: null }).runs().map(seen);
    // One listing of the ids; per page (8, 32, 60 runs): records, tag listings, tag changes, values; runs 50 and 60 alone.
    assert.ok(trips.count <= 20, `${trips.count} round trips to S3 for 100 runs`);
    const alone = listed.map(([id]) => seen(new Flow(name, { datastore: ds, namespace: null }).run(id)));
    assert.deepEqual(listed, alone);
    assert.deepEqual(listed.find(([id]) => id === '70')!.slice(1, 3), [
      ['seventh-70'],
      { ...(alone.at(-1)![2] as object), name: 'person 70' },
    ]);
    assert.match(String(listed.find(([id]) => id === '50')![1]), /damaged record .*runs\/50\/tags\/.*not a tag change/);
    assert.match(String(listed.find(([id]) => id === '60')![2]), /cannot read parameter 'name' of run ParameterFlow\/60: damaged blob/);
  });

  it('takes the root and endpoint from flowspec.config.json', () => {
    const project = mkdtempSync(join(tmpdir(), 'flowspec-project-'));
    writeFileSync(
      join(project, 'flowspec.config.json'),
      JSON.stringify({ datastore: { root: s3.root('configured'), endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true } }),
    );
    const { FLOWSPEC_DATASTORE_ROOT: _root, AWS_ENDPOINT_URL_S3: _endpoint, ...env } = s3.env('configured');
    const base = { ...process.env };
    delete base.FLOWSPEC_DATASTORE_ROOT;
    delete base.AWS_ENDPOINT_URL_S3;
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const r = spawnSync(process.execPath, [join(REPO, 'dist/cli.js'), 'run', join(EXAMPLES, 'linear.ts')], {
      cwd: project,
      env: { ...base, ...env },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(new Flow('LinearFlow', { root: s3.root('configured') }).latestRun?.data.message, 'HELLO!');
  });
});
