// The Slurm executor's pure parts: sbatch options from decorators and flowspec.config.json, the
// batch script (run by bash with Slurm's variables set), and the editor's Run prompt and log prefix.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobScript } from '../../runtime/slurm/jobScript';
import { slurmDefaults, stepSbatchArgs } from '../../runtime/slurm/settings';
import { slurmError } from '../../runtime/slurm/slurmCommands';
import { parseLogLine } from '../../client/runLog';
import { promptWhere, PromptUi } from '../../client/prompts';
import type { StepMeta } from '../../runtime/flow/stepMeta';

const meta = (m: Partial<StepMeta>): StepMeta => ({ isStep: true, ...m });

describe('Slurm: sbatch options of a step', () => {
  it('maps @slurm, @resources and @timeout over the config defaults', () => {
    const defaults = { partition: 'cpu', account: 'lab', time: '30', extra: ['--exclusive'] };
    assert.deepEqual(
      stepSbatchArgs(
        'train',
        meta({
          slurm: { partition: 'gpu', qos: 'high', constraint: 'a100', extra: ['--comment=x'] },
          resources: { cpu: 4, memory: '16Gi', gpu: 2 },
          timeout: { minutes: 90, seconds: 1 },
        }),
        defaults,
      ),
      [
        '--partition=gpu',
        '--account=lab',
        '--qos=high',
        '--constraint=a100',
        '--time=91',
        '--cpus-per-task=4',
        '--mem=16G',
        '--gres=gpu:2',
        '--exclusive',
        '--comment=x',
      ],
    );
    assert.deepEqual(stepSbatchArgs('s', meta({ resources: { cpu: '500m', memory: 2048 } }), {}), ['--cpus-per-task=1', '--mem=2048M']);
    assert.deepEqual(stepSbatchArgs('s', meta({ timeout: { seconds: 5 } }), { time: '10' }), ['--time=1'], 'Slurm counts whole minutes');
    assert.deepEqual(
      stepSbatchArgs('s', meta({ timeout: { hours: 1 }, slurm: { time: '2:00:00' } }), {}),
      ['--time=2:00:00'],
      '@slurm time wins',
    );
    assert.deepEqual(stepSbatchArgs('s', meta({}), { time: '10' }), ['--time=10']);
  });

  it('refuses resources it cannot say to Slurm, naming the step', () => {
    assert.throws(
      () => stepSbatchArgs('s', meta({ resources: { cpu: 'lots' } }), {}),
      /^UserError: step 's': @resources cpu must be a number of CPUs \(or '500m'\), not "lots"$/,
    );
    assert.throws(
      () => stepSbatchArgs('s', meta({ resources: { memory: '4 bananas' } }), {}),
      /step 's': @resources memory must be MB or a quantity like '4Gi'/,
    );
  });

  it('reads and checks the slurm section of flowspec.config.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowspec-slurm-unit-'));
    assert.deepEqual(slurmDefaults(dir), {});
    writeFileSync(join(dir, 'flowspec.config.json'), JSON.stringify({ slurm: { partition: 'gpu', extra: ['--exclusive'] } }));
    assert.deepEqual(slurmDefaults(dir), { partition: 'gpu', extra: ['--exclusive'] });
    writeFileSync(join(dir, 'flowspec.config.json'), JSON.stringify({ slurm: { partition: 3 } }));
    assert.throws(() => slurmDefaults(dir), /flowspec\.config\.json: "slurm"\.partition must be a non-empty string, not 3$/);
    writeFileSync(join(dir, 'flowspec.config.json'), JSON.stringify({ slurm: { extra: '--exclusive' } }));
    assert.throws(() => slurmDefaults(dir), /"slurm"\.extra must be a list of sbatch arguments/);
  });

  it("keeps Slurm's complaint to one line", () => {
    assert.equal(
      slurmError({
        code: 1,
        stdout: '',
        stderr: 'sbatch: error: invalid partition specified: nope\nallocation failure: Invalid partition name specified\n',
      }),
      'invalid partition specified: nope',
    );
    assert.equal(slurmError({ code: 1, stdout: '', stderr: 'Socket timed out\n' }), 'Socket timed out');
  });
});

describe('Slurm: the batch script', () => {
  const specs = ['a', "it's"].map((step, i) => ({
    flow: 'F',
    runId: '3',
    step,
    taskId: String(5 + i),
    inputPaths: ['3/start/1'],
    splitIndex: i,
    retryCount: 1,
  }));
  const run = (script: string, env: Record<string, string>) =>
    spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } }).stdout.trim();

  it('runs task i of the list in array element i, with its job id as metadata', () => {
    // `printf` stands in for node: the script's last line prints the arguments it would pass.
    const script = jobScript(specs, { command: ['printf', '%s|'], root: '/shared/ds', sourceFile: '/src/flow.ts' });
    assert.equal(
      run(script, { SLURM_ARRAY_JOB_ID: '7', SLURM_ARRAY_TASK_ID: '1', SLURM_JOB_ID: '9', SLURMD_NODENAME: 'n1' }),
      "step|/src/flow.ts|it's|--flow|F|--run-id|3|--task-id|6|--input-paths|3/start/1|--split-index|1|--retry-count|1|--metadata|slurm-job-id=7_1|--metadata|slurm-node=n1|",
    );
    assert.match(script, /^export FLOWSPEC_DATASTORE_ROOT='\/shared\/ds'$/m);
  });

  it('a single job (no array) runs the one task with the plain job id', () => {
    const script = jobScript([{ ...specs[0], splitIndex: undefined, inputPaths: [] }], {
      command: ['printf', '%s|'],
      root: '/ds',
      sourceFile: '/f.ts',
    });
    assert.equal(
      run(script, { SLURM_JOB_ID: '12' }),
      'step|/f.ts|a|--flow|F|--run-id|3|--task-id|5|--input-paths||--retry-count|1|--metadata|slurm-job-id=12|--metadata|slurm-node=|',
    );
  });
});

describe('Slurm in the editor', () => {
  it('the Run prompt offers running locally or on Slurm', async () => {
    let offered: string[] = [];
    const ui = {
      pick: async (items: Array<{ label: string; value: unknown }>) => {
        offered = items.map((i) => i.label);
        return items[1].value;
      },
    } as unknown as PromptUi;
    assert.equal(await promptWhere('F', ui), 'slurm');
    assert.deepEqual(offered, ['$(play) Run locally', '$(server-environment) Run on Slurm']);
  });

  it('reads the job id in a task prefix of the run log', () => {
    assert.deepEqual(parseLogLine('[4/work/7 (slurm job 12_3)] hello'), {
      task: { runId: '4', step: 'work', taskId: '7', pid: undefined, slurmJob: '12_3' },
      text: 'hello',
    });
  });
});
