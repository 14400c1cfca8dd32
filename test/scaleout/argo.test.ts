// `flowspec argo create`: the WorkflowTemplate of each example and of nested-foreach, switch and
// decorated flows validates against Argo's own schema (@kubernetes-models/argo-workflows), and,
// executed by the harness (each container command as a local process, against the S3 server),
// produces the same tasks, artifacts and output as a local run of the same flow.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import type { Template, WorkflowTemplate } from '../../runtime/argo/workflow';
import { Flow } from '../../runtime/client';
import { CLI, EXAMPLES, FLOWS, freshRoot, REPO, runCli } from '../support/cli';
import { executeWorkflowTemplate } from './support/argoHarness';
import { useS3Env } from '../support/s3';
import { S3Server, startS3Server } from './support/s3server';
import { snapshot } from './support/snapshot';

const SCALEOUT = join(REPO, 'test/fixtures/scaleout');

interface Case {
  file: string;
  flow: string;
  params?: Record<string, string>;
  cliArgs?: string[];
}
const CASES: Case[] = [
  { file: join(EXAMPLES, 'linear.ts'), flow: 'LinearFlow' },
  { file: join(EXAMPLES, 'branch.ts'), flow: 'BranchFlow', params: { alpha: '0.5' }, cliArgs: ['--alpha', '0.5'] },
  { file: join(EXAMPLES, 'foreach.ts'), flow: 'ForeachFlow' },
  { file: join(EXAMPLES, 'merge_artifacts.ts'), flow: 'MergeArtifactsFlow' },
  {
    file: join(EXAMPLES, 'parameters.ts'),
    flow: 'ParameterFlow',
    params: { name: 'Ada', verbose: 'true' },
    cliArgs: ['--name', 'Ada', '--verbose', 'true'],
  },
  { file: join(EXAMPLES, 'artifacts.ts'), flow: 'ArtifactFlow' },
  { file: join(FLOWS, 'nested.ts'), flow: 'NestedFlow' },
  { file: join(SCALEOUT, 'switch.ts'), flow: 'RouteFlow', params: { mode: 'slow' }, cliArgs: ['--mode', 'slow'] },
  { file: join(SCALEOUT, 'decorated.ts'), flow: 'DecoratedFlow' },
];

describe('Argo Workflows', function () {
  this.timeout(120_000);
  let s3: S3Server;
  let restoreEnv: () => void;
  /** Argo's WorkflowTemplate model: `new ArgoWorkflowTemplate(json).validate()` checks it against Argo's JSON schema. */
  let ArgoWorkflowTemplate: new (json: unknown) => { validate(): void };
  before(async () => {
    // The models package is ESM only.
    ({ WorkflowTemplate: ArgoWorkflowTemplate } = await import(
      '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowTemplate' as string
    ));
    s3 = await startS3Server();
    restoreEnv = useS3Env(s3);
  });
  after(async () => {
    restoreEnv?.();
    await s3?.close();
  });

  /** `flowspec argo create` over the S3 datastore; returns the parsed template. */
  function create(file: string, prefix: string, extra: string[] = []): WorkflowTemplate {
    const out = join(mkdtempSync(join(tmpdir(), 'flowspec-argo-')), 'template.yaml');
    const r = runCli(
      ['argo', 'create', file, '--image', 'registry.example/flowspec:0.1.0', '-o', out, ...extra],
      s3.root(prefix),
      s3.env(prefix),
    );
    assert.equal(r.code, 0, r.stderr);
    return YAML.parse(readFileSync(out, 'utf8'));
  }

  const templateNamed = (wt: WorkflowTemplate, name: string): Template => wt.spec.templates.find((t) => t.name === name)!;

  for (const c of CASES) {
    it(`${c.flow}: the template validates and, executed, stores what a local run stores`, async () => {
      const prefix = `argo/${c.flow}`;
      const wt = create(c.file, prefix);
      new ArgoWorkflowTemplate(wt).validate();

      const result = await executeWorkflowTemplate(wt, {
        cli: CLI,
        cwd: REPO,
        env: { ...process.env, ...s3.env(prefix) },
        workflowName: 'wf1',
        parameters: c.params,
      });
      // DecoratedFlow's flaky and risky steps fail their first attempt on purpose (@retry).
      const failures = result.pods.filter(
        (p) => p.code !== 0 && !(c.flow === 'DecoratedFlow' && ['step-flaky', 'step-risky'].includes(p.template)),
      );
      assert.equal(result.succeeded, true, failures.map((p) => `${p.template}: ${p.stderr}`).join('\n'));
      assert.deepEqual(failures, []);

      const local = freshRoot();
      const l = runCli(['run', c.file, ...(c.cliArgs ?? [])], local);
      assert.equal(l.code, 0, l.stderr);
      const remote = new Flow(c.flow, { root: s3.root(prefix) }).run('argo-wf1');
      const onDisk = new Flow(c.flow, { root: local }).latestRun!;
      assert.equal(remote.status, 'success', 'finish-run recorded the end');
      assert.deepEqual(remote.parameters, onDisk.parameters);
      assert.deepEqual(
        remote.steps().map((s) => s.name),
        onDisk.steps().map((s) => s.name),
      );
      assert.deepEqual(snapshot(remote), snapshot(onDisk));
    });
  }

  it('nests the foreach bodies as DAG templates fanned out over the split indices', () => {
    const wt = create(join(FLOWS, 'nested.ts'), 'argo/shape');
    const main = templateNamed(wt, 'main').dag!.tasks;
    const fanout = main.find((t) => t.name === 'foreach-start')!;
    assert.equal(fanout.withParam, '{{tasks.start.outputs.parameters.foreach-indices}}');
    assert.deepEqual(
      fanout.arguments!.parameters.map((p) => [p.name, p.value]),
      [
        ['task-id', 't-{{item}}'],
        ['split-index', '{{item}}'],
        ['parent-task-id', 't'],
      ],
    );
    const inner = templateNamed(wt, 'foreach-start').dag!.tasks.find((t) => t.name === 'foreach-outer')!;
    assert.equal(inner.arguments!.parameters[0].value, '{{inputs.parameters.task-id}}-{{item}}');
    const joinOuter = main.find((t) => t.name === 'join-outer')!;
    assert.equal(joinOuter.depends, 'foreach-start.Succeeded');
    assert.equal(
      joinOuter.arguments!.parameters[1].value,
      'argo-{{workflow.name}}/joinInner/t-{{tasks.start.outputs.parameters.foreach-indices}}',
    );
    assert.equal(main.find((t) => t.name === 'merge')!.depends, 'collect.Succeeded && single.Succeeded');
    assert.equal(wt.spec.onExit, 'finish-run');
  });

  it('turns a switch into when conditions, decorators into retries, deadlines and resources, parameters into arguments', () => {
    const route = create(join(SCALEOUT, 'switch.ts'), 'argo/route');
    const tasks = templateNamed(route, 'main').dag!.tasks;
    assert.equal(tasks.find((t) => t.name === 'slow')!.when, "'{{tasks.start.outputs.parameters.switch-step}}' == 'slow'");
    assert.equal(tasks.find((t) => t.name === 'report')!.depends, '(fast.Succeeded || slow.Succeeded)');
    assert.deepEqual(route.spec.arguments.parameters, [
      { name: 'mode', value: 'fast' },
      { name: 'size', value: '3' },
    ]);

    const wt = create(join(SCALEOUT, 'decorated.ts'), 'argo/decorated');
    assert.deepEqual(wt.spec.arguments.parameters, [
      { name: 'config', value: '{"scale":2}' },
      { name: 'label', value: '', description: 'A free label' },
    ]);
    const flaky = templateNamed(wt, 'step-flaky');
    assert.deepEqual(flaky.retryStrategy, { limit: '2', retryPolicy: 'Always' });
    // @retry without minutesBetweenRetries: Metaflow's remote default, 2 minutes (a local run retries at once).
    assert.deepEqual(templateNamed(wt, 'step-risky').retryStrategy, { limit: '1', retryPolicy: 'Always', backoff: { duration: '2m' } });
    assert.equal(flaky.activeDeadlineSeconds, 305, '@timeout of 5 minutes, and a grace for a pod that cannot raise it');
    assert.ok(flaky.container!.args.includes('{{retries}}'));
    assert.deepEqual(templateNamed(wt, 'step-start').container!.resources, {
      requests: { cpu: '2', memory: '4096Mi' },
      limits: { memory: '4096Mi' },
    });
    assert.deepEqual(templateNamed(wt, 'step-end').container!.resources, {
      requests: { memory: '1Gi' },
      limits: { memory: '1Gi', 'nvidia.com/gpu': '1' },
    });
    const init = templateNamed(wt, 'init-run').container!;
    assert.deepEqual(init.args.slice(-2), ['--config={{workflow.parameters.config}}', '--label={{workflow.parameters.label}}']);
    assert.equal(init.image, 'registry.example/flowspec:0.1.0');
    assert.deepEqual(
      init.env.find((e) => e.name === 'FLOWSPEC_DATASTORE_ROOT'),
      { name: 'FLOWSPEC_DATASTORE_ROOT', value: s3.root('argo/decorated') },
    );
  });

  it('a flaky task is retried by the engine and the run records the attempt that succeeded', () => {
    const run = new Flow('DecoratedFlow', { root: s3.root('argo/DecoratedFlow') }).run('argo-wf1');
    assert.deepEqual(
      run
        .step('flaky')
        .tasks()
        .map((t) => [t.id, t.retryCount]),
      [
        ['t-0', 1],
        ['t-1', 1],
        ['t-2', 1],
      ],
    );
    assert.deepEqual(run.step('join').task!.data.scaled, [2, 4, 6]);
    assert.equal(run.data.failure.message, 'always fails');
  });

  it('refuses a switch loop, which an acyclic DAG cannot express, with one clear line', () => {
    const r = runCli(['argo', 'create', join(FLOWS, 'switch.ts')], s3.root('argo/loop'), s3.env('argo/loop'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^flowspec: SwitchFlow loops \('train' goes back to 'train'\): switch loops cannot run on Argo Workflows/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('init-run refuses a run id that exists, and a failed run is recorded as failed', async () => {
    const prefix = 'argo/failing';
    const wt = create(join(FLOWS, 'resumable.ts'), prefix);
    const env = { ...process.env, ...s3.env(prefix), FAIL_AT: 'join' };
    const result = await executeWorkflowTemplate(wt, { cli: CLI, cwd: REPO, env, workflowName: 'wf2' });
    assert.equal(result.succeeded, false);
    assert.equal(result.phases.get('main/join'), 'Failed');
    assert.notEqual(result.phases.get('main/end'), 'Succeeded');
    const run = new Flow('ResumeFlow', { root: s3.root(prefix) }).run('argo-wf2');
    assert.equal(run.status, 'failed');
    assert.equal(run.step('join').task!.successful, false);
    const again = runCli(
      ['init-run', '--package', wt.metadata.annotations['flowspec/code-package'], '--flow', 'ResumeFlow', '--run-id', 'argo-wf2'],
      s3.root(prefix),
      s3.env(prefix),
    );
    assert.equal(again.code, 2);
    assert.match(again.stderr, /run ResumeFlow\/argo-wf2 exists already/);
  });
});
