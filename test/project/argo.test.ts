// A flow on native packages on Argo Workflows (executed by the test harness against a real S3
// server), with the task image simulated as docs/scale-out.md describes it: the installed flowspec
// package runs the containers, the native packages come from NODE_PATH, and the flow's own project
// is not there. Without them a pod fails with one line naming the package and the version.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { WorkflowTemplate } from '../../runtime/argo/workflow';
import { Flow } from '../../runtime/client';
import { executeWorkflowTemplate } from '../scaleout/support/argoHarness';
import { useS3Env } from '../support/s3';
import { S3Server, startS3Server } from '../scaleout/support/s3server';
import { expectedDigests, NATIVE_FLOW } from './support/native';
import { flowspec, linkModules, makeProject, sharedModules, WORK } from './support/projects';
import { skipBecause } from '../support/skip';

describe('native packages on Argo Workflows (harness)', function () {
  this.timeout(240_000);
  let s3: S3Server;
  let restoreEnv: () => void;
  let template: WorkflowTemplate;
  const prefix = 'argo-native';
  /** The image's global modules (what `npm install --global` and NODE_PATH give a container). */
  const imageModules = join(WORK, 'image');
  /** The containers' working directory: nothing of the project in it. */
  const podDir = join(WORK, 'pod');

  before(async function () {
    const shared = sharedModules();
    if (!shared.native) {
      skipBecause(this, shared.why ?? 'the native packages are not installed');
    }
    s3 = await startS3Server();
    restoreEnv = useS3Env(s3);
    const project = makeProject('argo-native', {
      'package.json': JSON.stringify({ name: 'argo-native', private: true }),
      'flow.ts': NATIVE_FLOW,
    });
    const r = flowspec(project, ['argo', 'create', 'flow.ts', '--image', 'registry.example/flows:1', '-o', 'flow.yaml'], s3.env(prefix));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /The image must provide @duckdb\/node-api@1\.5\.6-r\.1, @node-rs\/xxhash@1\.7\.8 /);
    template = YAML.parse(readFileSync(join(project, 'flow.yaml'), 'utf8'));
    // The pods run elsewhere: the project and its node_modules are not on their machine.
    renameSync(join(project, 'node_modules'), join(project, 'node_modules.away'));
    linkModules(imageModules, [], {});
    mkdirSync(podDir, { recursive: true });
  });
  after(async () => {
    restoreEnv?.();
    await s3?.close();
  });

  const execute = (workflowName: string, env: NodeJS.ProcessEnv) =>
    executeWorkflowTemplate(template, {
      cli: join(sharedModules().modules, 'flowspec/dist/cli.js'),
      cwd: podDir,
      env: { ...process.env, ...s3.env(prefix), ...env },
      workflowName,
      concurrency: 2,
    });

  it('runs with the native packages of the image (NODE_PATH) and stores what a local run stores', async () => {
    const result = await execute('wf1', { NODE_PATH: join(imageModules, 'node_modules') });
    assert.equal(
      result.succeeded,
      true,
      result.pods
        .filter((p) => p.code !== 0)
        .map((p) => `${p.template}: ${p.stderr}`)
        .join('\n'),
    );
    const run = new Flow('NativeFlow', { root: s3.root(prefix) }).run('argo-wf1');
    assert.equal(run.status, 'success');
    assert.deepEqual(
      run
        .step('hash')
        .tasks()
        .map((t) => t.data.digest),
      expectedDigests(),
    );
    assert.deepEqual(run.data.summary, { n: 3, words: 'alpha,beta,gamma', top: String(Math.max(...expectedDigests())) });
  });

  it('an image without them: the first pod fails with one line naming the package and its version', async () => {
    const result = await execute('wf2', { NODE_PATH: '' });
    assert.equal(result.succeeded, false);
    const failed = result.pods.find((p) => p.code !== 0)!;
    assert.equal(failed.template, 'init-run');
    assert.equal(failed.stderr.trim().split('\n').length, 1, failed.stderr);
    assert.match(failed.stderr, /this flow needs @duckdb\/node-api 1\.5\.6-r\.1, which is not installed here/);
  });
});
