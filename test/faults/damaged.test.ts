// A damaged datastore: torn or garbled records and blobs, a tampered code package. One damaged
// file never takes down what is around it; reading it names it; fsck finds and removes it.
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { assertOneLine, cli, freshRoot, linearFlow, project } from './support';

const FLOW = linearFlow('KeepFlow', `this.big = Array.from({ length: 2000 }, (_, i) => i);`);

/** Runs are slow to make: each test damages its own copy of one datastore. */
let template: { dir: string; root: string } | undefined;
function twoRuns() {
  if (!template) {
    template = { dir: project({ 'flow.ts': FLOW }), root: freshRoot() };
    for (let i = 0; i < 2; i++) assert.equal(cli(['run', 'flow.ts'], template.root, template.dir).code, 0);
  }
  const root = freshRoot();
  cpSync(template.root, root, { recursive: true });
  return { dir: template.dir, root };
}

const damages: Array<[string, (file: string) => void]> = [
  ['truncated', (f) => writeFileSync(f, readFileSync(f).subarray(0, 10))],
  ['garbled', (f) => writeFileSync(f, Buffer.from('\u0000\u00ff#garbage{{'))],
  ['empty', (f) => writeFileSync(f, '')],
  ['valid JSON of the wrong shape', (f) => writeFileSync(f, JSON.stringify({ hello: 'world' }))],
  [
    'folder in place of the',
    (f) => {
      rmSync(f);
      mkdirSync(f);
    },
  ],
];

describe('faults: a damaged record', () => {
  it('a torn run.json: listings mark that run and show the others; dump and resume name the file', () => {
    const { dir, root } = twoRuns();
    damages[0][1](join(root, 'KeepFlow/runs/1/run.json'));
    const runs = cli(['runs'], root, dir);
    assert.equal(runs.code, 0, runs.stderr);
    assert.match(runs.stdout, /KeepFlow\s+2\s+success/);
    assert.match(runs.stdout, /KeepFlow\s+1\s+damaged: run\.json unreadable/);
    const json = JSON.parse(cli(['runs', '--json'], root, dir).stdout);
    assert.deepEqual(
      json.map((r: { run: string; status: string }) => [r.run, r.status]),
      [
        ['2', 'success'],
        ['1', 'damaged'],
      ],
    );
    assertOneLine(cli(['dump', 'KeepFlow/1'], root, dir), 2, /damaged record .*runs\/1\/run\.json/);
    assertOneLine(cli(['resume', 'flow.ts', '--origin-run-id', '1'], root, dir), 2, /damaged record .*runs\/1\/run\.json/);
  });

  for (const [how, damage] of damages) {
    it(`a ${how} run.json: the client lists the flow and its runs, marks that one, and names the file when read`, () => {
      const { root } = twoRuns();
      damage(join(root, 'KeepFlow/runs/1/run.json'));
      assert.deepEqual(
        Flow.list({ root }).map((f) => f.name),
        ['KeepFlow'],
      );
      const flow = new Flow('KeepFlow', { root });
      assert.deepEqual(
        flow.runs().map((r) => r.status),
        ['success', 'damaged'],
      );
      assert.match(flow.runs()[1].damage!, /^run\.json unreadable/);
      assert.equal(flow.latestRun!.id, '2');
      assert.throws(() => flow.run(1).record, /damaged record .*KeepFlow\/runs\/1\/run\.json/);
    });
  }

  for (const [how, damage] of damages) {
    it(`a ${how} status.json: the client lists every run, that one as damaged, without throwing`, () => {
      const { root } = twoRuns();
      damage(join(root, 'KeepFlow/runs/1/status.json'));
      const flow = new Flow('KeepFlow', { root });
      const seen = [];
      for (const r of flow.runs()) seen.push([r.id, r.status, r.successful, r.finished]);
      assert.deepEqual(seen, [
        ['2', 'success', true, true],
        ['1', 'damaged', false, true],
      ]);
      assert.match(flow.runs()[1].damage!, /^status\.json unreadable/);
      assert.equal(flow.latestSuccessfulRun!.id, '2');
    });
  }

  it('a damaged status.json or task.json: the run is listed as damaged, dump names the task file', () => {
    const { dir, root } = twoRuns();
    writeFileSync(join(root, 'KeepFlow/runs/1/status.json'), '{"status": "runn');
    const runs = cli(['runs'], root, dir);
    assert.match(runs.stdout, /KeepFlow\s+1\s+damaged: status\.json unreadable/);
    const taskFile = join(root, 'KeepFlow/runs/2/steps/work/2/task.json');
    writeFileSync(taskFile, JSON.stringify({ ...JSON.parse(readFileSync(taskFile, 'utf8')), artifacts: 'oops' }));
    assertOneLine(
      cli(['dump', 'KeepFlow/2/work'], root, dir),
      2,
      /damaged record .*steps\/work\/2\/task\.json: 'artifacts' is not an object/,
    );
    assert.equal(cli(['runs'], root, dir).code, 0);
  });

  it("a task record whose artifact's nestedClasses is garbled: one line naming the artifact and the file", () => {
    const { dir, root } = twoRuns();
    const taskFile = join(root, 'KeepFlow/runs/2/steps/work/2/task.json');
    const record = JSON.parse(readFileSync(taskFile, 'utf8'));
    const [name] = Object.keys(record.artifacts);
    record.artifacts[name].nestedClasses = { path: 'x' };
    writeFileSync(taskFile, JSON.stringify(record));
    assertOneLine(
      cli(['dump', 'KeepFlow/2/work'], root, dir),
      2,
      new RegExp(`damaged record .*steps/work/2/task\\.json: artifact '${name}' has unreadable nestedClasses`),
    );
  });
});

function blobFiles(root: string, flow: string): string[] {
  const out: string[] = [];
  const blobs = join(root, flow, 'blobs');
  for (const prefix of readdirSync(blobs)) for (const f of readdirSync(join(blobs, prefix))) out.push(join(blobs, prefix, f));
  return out;
}

describe('faults: a damaged blob', () => {
  it('a new run producing the same value rewrites it; reading it names the artifact, the task and the file', () => {
    const { dir, root } = twoRuns();
    const hash = new Flow('KeepFlow', { root }).run(1).step('work').task!.artifacts.big.hash;
    const file = blobFiles(root, 'KeepFlow').find((f) => f.endsWith(hash))!;
    const good = readFileSync(file);
    writeFileSync(file, good.subarray(0, good.length - 7));

    assert.throws(
      () => new Flow('KeepFlow', { root }).run(1).data.big,
      /cannot read artifact 'big' of task KeepFlow\/1\/end\/3: damaged blob .*\/blobs\/.*: its content does not match its hash/,
    );
    const dump = cli(['dump', 'KeepFlow/1/work/2'], root, dir);
    assertOneLine(dump, 2, /artifact 'big' of task KeepFlow\/1\/work\/2/);

    const again = cli(['run', 'flow.ts'], root, dir);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(readFileSync(file), good, 'the damaged blob was written again');
    assert.equal(new Flow('KeepFlow', { root }).run(3).data.big.length, 2000);
  });

  it('garbled with the same size: fsck names it, --repair removes it and the tasks using it, resume reruns them', () => {
    const { dir, root } = twoRuns();
    const hash = new Flow('KeepFlow', { root }).run(1).step('work').task!.artifacts.big.hash;
    const file = blobFiles(root, 'KeepFlow').find((f) => f.endsWith(hash))!;
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] ^= 0xff;
    writeFileSync(file, bytes);

    const check = cli(['fsck', 'KeepFlow'], root, dir);
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, new RegExp(`damaged: KeepFlow/blobs/../${hash}: blob content does not match its hash`));
    for (const run of [1, 2]) {
      assert.match(check.stdout, new RegExp(`damaged: KeepFlow/runs/${run}/steps/work/2: artifact 'big' has a damaged blob`));
      assert.match(check.stdout, new RegExp(`damaged: KeepFlow/runs/${run}/steps/end/3: artifact 'big' has a damaged blob`));
    }

    const repair = cli(['fsck', 'KeepFlow', '--repair'], root, dir);
    assert.match(repair.stdout, /removed KeepFlow\/runs\/1\/steps\/work\/2/);
    assert.equal(cli(['fsck'], root, dir).code, 0, 'nothing damaged is left');
    assert.equal(new Flow('KeepFlow', { root }).run(1).status, 'failed');

    const resumed = cli(['resume', 'flow.ts'], root, dir);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, /Resuming KeepFlow\/2 as run 3/);
    assert.match(resumed.stdout, /Cloned from KeepFlow\/2\/start\/1/);
    assert.equal(new Flow('KeepFlow', { root }).run(3).data.big.length, 2000);
  });
});

describe('faults: a tampered code package', () => {
  it('is not reused by its name: the next run and fsck see it', () => {
    const dir = project({ 'flow.ts': linearFlow('CodeFlow', `this.answer = 42;`) });
    const root = freshRoot();
    assert.equal(cli(['run', 'flow.ts'], root, dir).code, 0);
    const [sha] = readdirSync(join(root, '.code')).filter((n) => /^[0-9a-f]{32}$/.test(n));
    const file = join(root, '.code', sha, 'flow.js');
    writeFileSync(file, readFileSync(file, 'utf8').replace('this.answer = 42', 'this.answer = 666'));
    assert.match(cli(['fsck'], root, dir).stdout, /damaged: \.code\/[0-9a-f]+\/flow\.js: code package does not match its hash/);
    assert.equal(cli(['run', 'flow.ts'], root, dir).code, 0);
    assert.equal(new Flow('CodeFlow', { root }).run(2).data.answer, 42);
  });
});
