// A real one-node Slurm cluster for the suite (scripts/slurm/start-slurm.sh), in a temp folder,
// started before the suite's tests and stopped after. Where Slurm's packages are not installed
// (bash scripts/slurm/install-slurm.sh installs them; .ci/run does) the suite is skipped, saying
// so; any other failure to start fails it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../support/cli';
import { skipBecause } from '../../support/skip';

export interface SlurmCluster {
  dir: string;
  /** Completed jobs (jobcomp/filetxt), array elements as `12_3`, with their name and final state. */
  jobLog(): Array<{ id: string; name: string; state: string }>;
  /** Jobs squeue still lists as pending or running. */
  queued(): Array<{ id: string; name: string }>;
}

/** start-slurm.sh's exit code when Slurm's packages are not installed. */
const NOT_INSTALLED = 3;

/** Starts the cluster in `before` and stops it in `after` of the calling describe block. */
export function useSlurmCluster(): SlurmCluster {
  const cluster: SlurmCluster = {
    dir: '',
    jobLog: () =>
      readFileSync(join(cluster.dir, 'jobs.txt'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const field = (name: string) => new RegExp(`\\b${name}=(\\S+)`).exec(line)?.[1];
          const array = field('ArrayJobId');
          return {
            id: array ? `${array}_${field('ArrayTaskId')}` : field('JobId')!,
            name: field('Name') ?? '',
            state: field('JobState') ?? '',
          };
        }),
    queued: () =>
      spawnSync('squeue', ['--noheader', '--array', '--format=%i|%j'], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean)
        .map((line) => {
          const [id, name] = line.split('|');
          return { id, name };
        }),
  };
  let previousConf: string | undefined;
  before(function () {
    this.timeout(120_000);
    cluster.dir = mkdtempSync(join(tmpdir(), 'flowspec-slurm-'));
    const r = spawnSync('bash', [join(REPO, 'scripts/slurm/start-slurm.sh'), cluster.dir], { encoding: 'utf8' });
    if (r.status === NOT_INSTALLED) skipBecause(this, r.stderr.trim());
    if (r.status !== 0) throw new Error(`the Slurm cluster did not start (exit ${r.status}): ${r.stderr.trim()}; see ${cluster.dir}/log`);
    previousConf = process.env.SLURM_CONF;
    process.env.SLURM_CONF = /export SLURM_CONF=(\S+)/.exec(r.stdout)![1];
  });
  after(function () {
    this.timeout(30_000);
    if (!cluster.dir) return;
    spawnSync('bash', [join(REPO, 'scripts/slurm/stop-slurm.sh'), cluster.dir]);
    if (previousConf === undefined) delete process.env.SLURM_CONF;
    else process.env.SLURM_CONF = previousConf;
    rmSync(cluster.dir, { recursive: true, force: true });
  });
  return cluster;
}
