// Processes: a killed scheduler takes its workers with it, signals end a run, runs of one flow can
// start at the same time, a closed pipe is not an error, and workers start as needed. (How soon
// workers and runs end is a figure: npm run bench:processes.)
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { CLI, startCli } from '../support/cli';
import { waitFor } from '../support/wait';
import { alive, cli, cliAsync, ENDLESS, freshRoot, linearFlow, project, workerPids } from './support';

describe('faults: processes', () => {
  /** Workers of endless tasks: killed after each test, should one outlive what it tested. */
  const workers: number[] = [];
  afterEach(() => {
    for (const pid of workers.splice(0).filter(alive)) process.kill(pid, 'SIGKILL');
  });

  it('kill -9 of the scheduler: its workers (busy or asleep) exit and write nothing into the crashed run', async () => {
    const dir = project({ 'flow.ts': ENDLESS });
    const root = freshRoot();
    const run = startCli(['run', 'flow.ts', '--max-workers', '2'], root, { cwd: dir });
    const pids = await waitFor('both tasks to start', () => {
      const started = workerPids(run.output(), ['spin', 'nap']);
      return started.length === 2 && started;
    });
    workers.push(...pids);
    process.kill(run.child.pid!, 'SIGKILL');
    await run.exited;
    await waitFor('the workers of the killed scheduler to exit (their tasks never end on their own)', () => pids.every((p) => !alive(p)));
    const crashed = new Flow('LongFlow', { root }).run(1);
    assert.equal(crashed.status, 'crashed');
    for (const step of ['spin', 'nap']) {
      assert.equal(
        existsSync(join(root, `LongFlow/runs/1/steps/${step}`)) &&
          crashed
            .step(step)
            .tasks()
            .some((t) => t.finished),
        false,
        `no record of ${step} after the crash`,
      );
    }
  });

  it('SIGTERM of a run: it ends (its tasks never would), recorded killed, no workers left', async () => {
    const dir = project({ 'flow.ts': ENDLESS });
    const root = freshRoot();
    const run = startCli(['run', 'flow.ts', '--max-workers', '2'], root, { cwd: dir });
    const pids = await waitFor('both tasks to start', () => {
      const started = workerPids(run.output(), ['spin', 'nap']);
      return started.length === 2 && started;
    });
    workers.push(...pids);
    run.child.kill('SIGTERM');
    await run.exited;
    assert.equal(new Flow('LongFlow', { root }).run(1).status, 'killed');
    await waitFor('the workers of the stopped run to exit', () => pids.every((p) => !alive(p)));
  });

  it('four runs of one flow at once get distinct ids and their own artifacts; a resume alongside a run too', async function () {
    this.timeout(150_000);
    const flow = linearFlow('TwinFlow', 'this.n = this.seedFrom;', '').replace(
      'this.seed = 1;',
      'this.seedFrom = Number(process.env.SEED);',
    );
    const dir = project({ 'flow.ts': flow });
    const root = freshRoot();
    const results = await Promise.all(
      [1, 2, 3, 4].map((seed) => cliAsync(['run', 'flow.ts', '--max-workers', '1'], root, dir, { SEED: String(seed) })),
    );
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const ids = results.map((r) => /run-id (\d+)/.exec(r.stdout)![1]);
    assert.deepEqual([...ids].sort(), ['1', '2', '3', '4']);
    ids.forEach((id, i) => assert.equal(new Flow('TwinFlow', { root }).run(id).data.n, i + 1));

    const [resumed, fresh] = await Promise.all([
      cliAsync(['resume', 'flow.ts', 'work', '--origin-run-id', ids[0]], root, dir, { SEED: '6' }),
      cliAsync(['run', 'flow.ts'], root, dir, { SEED: '7' }),
    ]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(fresh.code, 0, fresh.stderr);
    const resumedId = /as run (\d+)/.exec(resumed.stdout)![1];
    const freshId = /run-id (\d+)/.exec(fresh.stdout)![1];
    assert.deepEqual([resumedId, freshId].sort(), ['5', '6']);
    assert.equal(new Flow('TwinFlow', { root }).run(resumedId).data.n, 1, 'the resume cloned the origin start task');
    assert.equal(new Flow('TwinFlow', { root }).run(freshId).data.n, 7);
  });

  it('workers start as tasks need them, and --max-workers beyond the machine is capped with a note', () => {
    const dir = project({ 'flow.ts': linearFlow('LeanFlow', 'this.x = 1;') });
    const root = freshRoot();
    const r = cli(['run', 'flow.ts', '--max-workers', '99999999999999999999'], root, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^flowspec: --max-workers 100000000000000000000 is more than this machine can use: running at most \d+ tasks at once/,
    );
    const pids = new Set([...r.stdout.matchAll(/\(pid (\d+)\)/g)].map((m) => m[1]));
    assert.equal(pids.size, 1, 'a line of three tasks runs on one worker');
  });

  it('`flowspec runs | head -1` ends quietly on the closed pipe', () => {
    const dir = project({ 'flow.ts': linearFlow('PipeFlow', 'this.x = 1;') });
    const root = freshRoot();
    assert.equal(cli(['run', 'flow.ts', '--tag', 't'.repeat(500)], root, dir).code, 0);
    // Enough runs (with long tags) that the listing outgrows the pipe's buffer.
    for (let i = 2; i <= 300; i++) cpSync(join(root, 'PipeFlow/runs/1'), join(root, `PipeFlow/runs/${i}`), { recursive: true });
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" runs | head -1`], {
      env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^FLOW\s+RUN\s+STATUS/);
  });
});
