// `run --with slurm` on a real one-node Slurm cluster (started by this suite): every example gives
// the artifacts of a local run, task by task, and each task is a job in the cluster's job log; a
// foreach is one job array; a step past its @timeout is killed by Slurm and retried; cancel, and a
// kill -9 of the orchestrator, leave no job behind; resume after a failure on Slurm; bad input is
// refused before any run exists.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flow, Task } from '../../runtime/client';
import { CLI, cliAsync, CliResult, EXAMPLES, freshRoot, REPO, runCli, EXAMPLE_RUNS, startCli } from '../support/cli';
import { snapshot } from '../scaleout/support/snapshot';
import { useSlurmCluster } from './support/cluster';
import { waitFor } from '../support/wait';
import { skipBecause } from '../support/skip';

const FIXTURES = join(REPO, 'test/fixtures/slurm');

/** Longest a run on the cluster may take here (the @timeout test waits for Slurm's whole-minute limit). */
const RUN_MS = 600_000;
/** Runs the CLI without blocking the test process, so several runs can share the cluster at once. */
const runAsync = (args: string[], root: string, env: NodeJS.ProcessEnv = {}) => cliAsync(args, root, REPO, env, RUN_MS);

const tasksOf = (flow: string, root: string): Task[] => {
  const run = new Flow(flow, { root }).latestRun!;
  return run.steps().flatMap((s) => s.tasks());
};

describe('Slurm executor (run --with slurm)', function () {
  // Generous bounds for a loaded machine; on an idle one the suite takes about three minutes.
  this.timeout(600_000);
  const cluster = useSlurmCluster();
  // The timeout test waits a minute or more for Slurm's time limit (whole minutes): its run starts
  // first and goes on while the other tests run.
  const timeoutRoot = freshRoot();
  let timeoutRun: Promise<CliResult>;
  before(() => {
    timeoutRun = runAsync(['run', join(FIXTURES, 'timeout.ts'), '--with', 'slurm'], timeoutRoot);
  });

  it('runs every example as Slurm jobs with the artifacts of a local run, task by task', async () => {
    const runs = await Promise.all(
      EXAMPLE_RUNS.map(async (ex) => {
        const [slurmRoot, localRoot] = [freshRoot(), freshRoot()];
        const [onSlurm, local] = await Promise.all([
          runAsync(['run', join(EXAMPLES, ex.file), '--with', 'slurm', ...ex.args], slurmRoot),
          runAsync(['run', join(EXAMPLES, ex.file), ...ex.args], localRoot),
        ]);
        return { ex, slurmRoot, localRoot, onSlurm, local };
      }),
    );
    const logged = new Map(cluster.jobLog().map((j) => [j.id, j]));
    for (const { ex, slurmRoot, localRoot, onSlurm, local } of runs) {
      assert.equal(onSlurm.code, 0, `${ex.file} on Slurm: ${onSlurm.stderr}`);
      assert.equal(local.code, 0, local.stderr);
      assert.deepEqual(
        snapshot(new Flow(ex.flow, { root: slurmRoot }).latestRun!),
        snapshot(new Flow(ex.flow, { root: localRoot }).latestRun!),
        ex.file,
      );
      for (const task of tasksOf(ex.flow, slurmRoot)) {
        const jobId = task.metadata['slurm-job-id'];
        assert.match(jobId ?? '', /^\d+(_\d+)?$/, `${task.pathspec} has its Slurm job id`);
        assert.equal(logged.get(jobId)?.state, 'COMPLETED', `${task.pathspec}: job ${jobId} is in the cluster's job log`);
        assert.ok(
          onSlurm.stdout.includes(`[${task.runId}/${task.step}/${task.id} (slurm job ${jobId})] Task finished successfully.`),
          `${task.pathspec}'s prefix names its job`,
        );
      }
    }
    // The output of a step streams to the console as it does locally.
    const foreach = runs.find((r) => r.ex.file === 'foreach.ts')!;
    assert.match(foreach.onSlurm.stdout, /^\[1\/end\/\d+ \(slurm job \d+\)\] NARCOS \(#2\)$/m);
  });

  it('submits a foreach of 100 as one job array (capped by --max-workers)', async () => {
    const root = freshRoot();
    const r = await runAsync(['run', join(FIXTURES, 'hundred.ts'), '--with', 'slurm', '--max-workers', '20'], root);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('HundredFlow', { root }).latestRun!;
    assert.equal(run.data.total, 328350);
    const squares = run.step('square').tasks();
    assert.equal(squares.length, 100);
    const arrays = new Set(squares.map((t) => t.metadata['slurm-job-id'].split('_')[0]));
    assert.equal(arrays.size, 1, 'one submission for the whole foreach');
    const [array] = arrays;
    assert.deepEqual(squares.map((t) => t.metadata['slurm-job-id']).sort(), Array.from({ length: 100 }, (_, i) => `${array}_${i}`).sort());
    const elements = cluster.jobLog().filter((j) => j.id.startsWith(`${array}_`));
    assert.equal(elements.length, 100);
    assert.ok(elements.every((j) => j.state === 'COMPLETED' && j.name === `HundredFlow-${run.id}-square`));
    // 4 submissions in all: start, the array, join, end.
    assert.equal(
      new Set(
        cluster
          .jobLog()
          .filter((j) => j.name.startsWith(`HundredFlow-${run.id}-`))
          .map((j) => j.id.split('_')[0]),
      ).size,
      4,
    );
  });

  it('shows the job id in dump and keeps it in the task record', () => {
    const root = freshRoot();
    const r = runCli(['run', join(EXAMPLES, 'linear.ts'), '--with', 'slurm'], root);
    assert.equal(r.code, 0, r.stderr);
    const task = new Flow('LinearFlow', { root }).latestRun!.step('start').task!;
    assert.equal(task.record!.metadata!['slurm-job-id'], task.metadata['slurm-job-id']);
    assert.ok(task.metadata['slurm-node'], 'the node it ran on');
    const dump = runCli(['dump', `${task.pathspec}`], root);
    const shown = /^ {4}\[(.*)\]$/m.exec(dump.stdout)?.[1].split(', ').sort();
    assert.deepEqual(shown, [
      `slurm-job-id: ${task.metadata['slurm-job-id']}`,
      `slurm-node: ${task.metadata['slurm-node']}`,
      'slurm-state: COMPLETED',
    ]);
  });

  it("a step past its @timeout is killed by Slurm, with Slurm's reason, and retried", async () => {
    const root = timeoutRoot;
    const r = await timeoutRun;
    assert.equal(r.code, 0, r.stderr);
    const slow = new Flow('TimeoutFlow', { root }).latestRun!.step('slow').task!;
    assert.equal(slow.data.attempts, 2);
    assert.match(r.stderr, /\[1\/slow\/2 \(slurm job (\d+)\)\] TimeoutError: Slurm ended job \1: TIMEOUT \(TimeLimit\)/);
    assert.equal(slow.retryCount, 1, 'the recorded attempt is the retry');
    const killed = cluster.jobLog().find((j) => j.name === 'TimeoutFlow-1-slow' && j.state === 'TIMEOUT');
    assert.ok(killed, 'Slurm logged the first attempt as TIMEOUT');
  });

  /** Runs SleepyFlow (test/fixtures/slurm/sleepy.ts) on Slurm until its three `nap` array jobs are in squeue. */
  async function sleepyRunOnSlurm(root: string) {
    const run = startCli(['run', join(FIXTURES, 'sleepy.ts'), '--with', 'slurm'], root);
    await waitFor('the third nap job to start', () => /nap\/\d+ \(slurm job \d+_2\)\] Task is starting/.test(run.output()), 120_000, 200);
    const runId = /run-id (\d+)/.exec(run.output())?.[1];
    const jobs = () => cluster.queued().filter((j) => j.name.startsWith(`SleepyFlow-${runId}-`));
    assert.equal(jobs().length, 3, "the array's jobs are queued or running");
    return { child: run.child, exited: run.exited, jobs };
  }

  it('cancel (SIGTERM) cancels every job of the run and records it as killed', async () => {
    const root = freshRoot();
    const { child, exited, jobs } = await sleepyRunOnSlurm(root);
    child.kill('SIGTERM');
    assert.notEqual(await exited, 0);
    assert.deepEqual(jobs(), [], 'no job of the run is left in squeue');
    const run = new Flow('SleepyFlow', { root }).latestRun!;
    assert.equal(run.status, 'killed');
    const naps = run.step('nap').tasks();
    assert.equal(naps.length, 3);
    assert.ok(
      naps.every((t) => t.exception?.type === 'SlurmJobCancelled' && t.metadata['slurm-state'] === 'CANCELLED'),
      JSON.stringify(naps.map((t) => t.metadata)),
    );
  });

  it('kill -9 of the orchestrator: its jobs are cancelled all the same, and the run reads as crashed', async () => {
    const root = freshRoot();
    const { child, exited, jobs } = await sleepyRunOnSlurm(root);
    child.kill('SIGKILL');
    await exited;
    await waitFor('no job of the run left in squeue', () => jobs().length === 0, 20_000, 250);
    assert.equal(new Flow('SleepyFlow', { root }).latestRun!.status, 'crashed');
  });

  it('resumes a run that failed on Slurm, on Slurm', async () => {
    const root = freshRoot();
    const failed = await runAsync(['run', join(FIXTURES, 'fragile.ts'), '--with', 'slurm'], root, { FRAGILE_FAIL: '1' });
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /planned failure in work/);
    const resumed = await runAsync(['resume', join(FIXTURES, 'fragile.ts'), '--with', 'slurm'], root);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /Cloned from FragileFlow\/1\/start\/1/);
    const run = new Flow('FragileFlow', { root }).latestRun!;
    assert.equal(run.data.joined, 'ABC');
    // start and the work items that succeeded are cloned; the failed items run again, as jobs of one submission.
    assert.equal(run.step('start').task!.origin?.pathspec, 'FragileFlow/1/start/1');
    const rerun = run
      .step('work')
      .tasks()
      .filter((t) => !t.origin);
    assert.ok(rerun.length >= 1, 'the failed work item ran again');
    const submissions = new Set(rerun.map((t) => /^(\d+)(_\d+)?$/.exec(t.metadata['slurm-job-id'])?.[1]));
    assert.equal(submissions.size, 1);
    assert.ok([...submissions][0], 'the rerun items ran as Slurm jobs');
  });

  describe('bad input: one line, exit 2, no run', () => {
    const noRun = (root: string, flow: string) =>
      assert.equal(
        Flow.list({ root }).some((f) => f.name === flow),
        false,
        'no run was created',
      );

    it('no sbatch on the PATH', () => {
      const root = freshRoot();
      const r = runCli(['run', join(EXAMPLES, 'linear.ts'), '--with', 'slurm'], root, {
        PATH: mkdtempSync(join(tmpdir(), 'flowspec-empty-path-')),
      });
      assert.equal(r.code, 2);
      assert.equal(
        r.stderr,
        "flowspec: --with slurm: sbatch is not on the PATH; run on a machine of the cluster (a login node) or add Slurm's bin folder to PATH\n",
      );
      noRun(root, 'LinearFlow');
    });

    it('an unknown partition, from @slurm or from flowspec.config.json', () => {
      const root = freshRoot();
      const r = runCli(['run', join(FIXTURES, 'partition.ts'), '--with', 'slurm'], root);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /^flowspec: --with slurm: Slurm refuses the jobs of step 'end': invalid partition specified: no-such-partition \(sbatch --partition=no-such-partition\); see sinfo for partitions\n$/,
      );
      noRun(root, 'PartitionFlow');

      const project = mkdtempSync(join(tmpdir(), 'flowspec-slurm-config-'));
      writeFileSync(join(project, 'flowspec.config.json'), JSON.stringify({ slurm: { partition: 'gpu-nope' } }));
      const c = runCli(['run', join(EXAMPLES, 'linear.ts'), '--with', 'slurm'], root, {}, project);
      assert.equal(c.code, 2);
      assert.match(
        c.stderr,
        /^flowspec: --with slurm: Slurm refuses the jobs of step 'start': invalid partition specified: gpu-nope .*\n$/,
      );
      writeFileSync(join(project, 'flowspec.config.json'), JSON.stringify({ slurm: { partitoin: 'debug' } }));
      const typo = runCli(['run', join(EXAMPLES, 'linear.ts'), '--with', 'slurm'], root, {}, project);
      assert.equal(typo.code, 2);
      assert.match(
        typo.stderr,
        /^flowspec: \S+flowspec\.config\.json: "slurm" has an unknown key 'partitoin' \(known: partition, account, qos, time, constraint, extra\)\n$/,
      );
      noRun(root, 'LinearFlow');
    });

    it('a datastore the nodes cannot see (a folder private to the submitting machine)', function () {
      // A mount namespace of our own: the orchestrator sees a tmpfs the cluster's node does not.
      const priv = mkdtempSync(join(tmpdir(), 'flowspec-private-'));
      const script = [
        `mount -t tmpfs tmpfs ${priv}`,
        `FLOWSPEC_DATASTORE_ROOT=${priv}/ds ${JSON.stringify(process.execPath)} ${CLI} run ${join(EXAMPLES, 'linear.ts')} --with slurm; echo "exit $?"`,
        `echo "runs: $(ls -A ${priv}/ds/LinearFlow/runs 2>/dev/null | wc -l)"`,
      ].join('\n');
      const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'bash', '-c', script], {
        encoding: 'utf8',
        cwd: REPO,
        timeout: 120_000,
      });
      if (/unshare failed|Operation not permitted/.test(r.stderr))
        skipBecause(this, `unshare cannot make a private mount here: ${r.stderr.trim().split('\n')[0]}`);
      assert.match(
        r.stderr,
        new RegExp(
          `^flowspec: Slurm job \\d+(?: on node \\S+)? cannot read run LinearFlow/1 in the datastore ${priv}/ds: the nodes must see it \\(a folder shared with the cluster, or an s3:// root; see docs/scale-out.md\\)\\n$`,
        ),
        'one line',
      );
      assert.match(r.stdout, /^exit 2$/m);
      assert.match(r.stdout, /^runs: 0$/m, 'no run in the datastore');
    });
  });
});
