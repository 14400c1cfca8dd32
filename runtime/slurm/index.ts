// `run --with slurm` / `resume --with slurm`: checks that the cluster will take the flow's jobs,
// before any run is created, and makes the executor. Each check fails with one line.
import { resolve } from 'node:path';
import type { Datastore } from '../datastore';
import { UserError } from '../errors';
import type { LoadedFlow } from '../flowcode/loadFlow';
import { SlurmExecutor } from './executor';
import { slurmDefaults, stepSbatchArgs } from './settings';
import { onPath, sbatchRefusal } from './slurmCommands';

export { SlurmExecutor } from './executor';
export { hasSlurmSection } from './settings';
export { onPath } from './slurmCommands';

export interface SlurmRunOptions {
  /** `--max-workers`: caps how many elements of a job array run at once. */
  maxWorkers?: number;
  /** This CLI's entry file (dist/cli.js), which the jobs run with this Node. */
  cliPath: string;
}

/**
 * Checks what can be checked without running a job — sbatch is here, the config's and steps'
 * Slurm options are ones the cluster takes (`sbatch --test-only` once per distinct set) — and
 * returns the executor. Whether the nodes see the datastore shows with the first job.
 */
export async function slurmExecutor(datastore: Datastore, flow: LoadedFlow, options: SlurmRunOptions): Promise<SlurmExecutor> {
  if (!onPath('sbatch'))
    throw new UserError(
      "--with slurm: sbatch is not on the PATH; run on a machine of the cluster (a login node) or add Slurm's bin folder to PATH",
    );
  const defaults = slurmDefaults();
  const byArgs = new Map<string, { step: string; args: string[] }>();
  for (const [name, step] of flow.info.steps) {
    const args = stepSbatchArgs(name, step.meta, defaults);
    byArgs.set(args.join('\0'), byArgs.get(args.join('\0')) ?? { step: name, args });
  }
  const refusals = await Promise.all(
    [...byArgs.values()].map(async ({ step, args }) => ({ step, args, reason: await sbatchRefusal(args) })),
  );
  const refused = refusals.find((r) => r.reason);
  if (refused) {
    throw new UserError(
      `--with slurm: Slurm refuses the jobs of step '${refused.step}': ${refused.reason}${refused.args.length ? ` (sbatch ${refused.args.join(' ')})` : ''}; see sinfo for partitions`,
    );
  }
  return new SlurmExecutor({
    datastore,
    flow: flow.info,
    sourceFile: resolve(flow.file),
    defaults,
    command: [process.execPath, resolve(options.cliPath)],
    arrayLimit: options.maxWorkers,
  });
}
