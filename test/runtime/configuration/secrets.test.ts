// @secrets: values fetched when the task starts (an environment variable, a file, a .env file named
// in flowspec.config.json, a Kubernetes secret on Argo), in the step's environment only, and never
// in the datastore: logs, cards and errors are redacted, an artifact holding one is refused, and no
// file under the datastore root holds a value after the run. A missing secret fails the task before
// the step runs, naming source and key.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { Flow } from '../../../runtime/client';
import type { WorkflowTemplate } from '../../../runtime/argo/workflow';
import { CLI, freshRoot, linesOf, runCli } from '../../support/cli';
import { executeWorkflowTemplate } from '../../scaleout/support/argoHarness';
import { userProject } from './support';

const VALUES = {
  API_TOKEN: 'env-secret-value-1234',
  DOTENV_TOKEN: 'dotenv-secret-value-9876',
  DB_PASSWORD: 'file-secret-value-5555',
  K8S_PASSWORD: 'k8s-secret-value-4242',
};

const FLOW = `import { FlowSpec, Parameter, step, secrets, card, current, catchError } from 'flowspec';
import { Markdown } from 'flowspec/cards';

export class SecretFlow extends FlowSpec {
  mode = Parameter('mode', { default: 'ok' });

  @secrets({ sources: ['env.API_TOKEN', 'dotenv.DOTENV_TOKEN', { type: 'file', id: 'secrets/db_password.txt' }] })
  @card()
  @step start() {
    this.lengths = [process.env.API_TOKEN!.length, process.env.DOTENV_TOKEN!.length, process.env.DB_PASSWORD!.length];
    console.log(\`token is \${process.env.API_TOKEN}\`);
    console.error(\`db password \${process.env.DB_PASSWORD}\`);
    current.card.append(new Markdown(\`dotenv \${process.env.DOTENV_TOKEN}\`));
    if (this.mode === 'leak') this.leaked = { nested: ['x', process.env.API_TOKEN] };
    this.next(this.risky);
  }

  @catchError({ var: 'failure' })
  @secrets({ sources: ['env.API_TOKEN'] })
  @step risky() {
    if (process.env.API_TOKEN) throw new Error(\`could not log in with \${process.env.API_TOKEN}\`);
    this.next(this.end);
  }

  @step end() {
    this.after = process.env.DB_PASSWORD ?? 'unset';
  }
}
`;

const K8S_FLOW = `import { FlowSpec, step, secrets } from 'flowspec';

export class PodSecretFlow extends FlowSpec {
  @secrets({ sources: ['kubernetes.db-creds/K8S_PASSWORD'] })
  @step start() {
    console.log(\`password \${process.env.K8S_PASSWORD}\`);
    this.length = process.env.K8S_PASSWORD!.length;
    this.next(this.end);
  }
  @step end() {}
}
`;

function project(): string {
  return userProject({
    'flow.ts': FLOW,
    'pod.ts': K8S_FLOW,
    'flowspec.config.json': JSON.stringify({ secrets: { dotenv: '.env.local' } }),
    '.env.local': `# local secrets\nexport DOTENV_TOKEN="${VALUES.DOTENV_TOKEN}"\n`,
    'secrets/db_password.txt': `${VALUES.DB_PASSWORD}\n`,
  });
}

/** Every file under `dir` that holds one of the values (as UTF-8 or UTF-16 text). */
function filesHoldingSecrets(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const bytes = readFileSync(path);
        for (const value of Object.values(VALUES))
          if (bytes.includes(Buffer.from(value)) || bytes.includes(Buffer.from(value, 'utf16le'))) found.push(`${path}: ${value}`);
      }
    }
  };
  walk(dir);
  return found;
}

describe('@secrets', () => {
  const dir = project();
  const env = { API_TOKEN: VALUES.API_TOKEN };

  it("puts each source's value in the step's environment and none in the datastore", () => {
    const root = freshRoot();
    const r = runCli(['run', 'flow.ts'], root, env, dir);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('SecretFlow', { root }).latestRun!;
    assert.deepEqual(run.step('start').task!.data.lengths, [
      VALUES.API_TOKEN.length,
      VALUES.DOTENV_TOKEN.length,
      VALUES.DB_PASSWORD.length,
    ]);
    assert.equal(run.data.after, 'unset', 'only the step that asked has them');
    assert.deepEqual(linesOf(r.stdout, 'start'), ['token is [secret API_TOKEN]']);
    assert.match(run.step('start').task!.stderr, /db password \[secret DB_PASSWORD\]/);
    assert.equal(run.step('risky').task!.data.failure.message, 'could not log in with [secret API_TOKEN]');
    assert.match(run.step('start').task!.cards[0].html, /dotenv \[secret DOTENV_TOKEN\]/);
    assert.deepEqual(filesHoldingSecrets(root), []);
    assert.doesNotMatch(r.stdout + r.stderr, /secret-value/);
  });

  it('refuses an artifact that holds a secret, naming the artifact and the source, not the value', () => {
    const root = freshRoot();
    const r = runCli(['run', 'flow.ts', '--mode', 'leak'], root, env, dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /artifact 'leaked' holds the value of secret API_TOKEN \(env\.API_TOKEN\); a secret never goes to the datastore/,
    );
    assert.deepEqual(filesHoldingSecrets(root), []);
  });

  it('a missing secret fails the task before the step runs, naming source and key', () => {
    const root = freshRoot();
    const r = runCli(['run', 'flow.ts'], root, { API_TOKEN: undefined }, dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /SecretError: secret env\.API_TOKEN: the variable API_TOKEN is not set on this machine/);
    assert.deepEqual(linesOf(r.stdout, 'start'), [], 'the step did not run');

    const noKey = userProject({
      'flow.ts': FLOW,
      'flowspec.config.json': JSON.stringify({ secrets: { dotenv: '.env.local' } }),
      '.env.local': 'OTHER=1\n',
    });
    const k = runCli(['run', 'flow.ts'], freshRoot(), env, noKey);
    assert.equal(k.code, 1);
    assert.match(k.stderr, /secret dotenv\.DOTENV_TOKEN: \S+\.env\.local has no key DOTENV_TOKEN/);
  });

  it('refuses a source it does not know when the flow loads, in one line', () => {
    const bad = userProject({ 'flow.ts': FLOW.replace("'env.API_TOKEN', 'dotenv", "'vault.API_TOKEN', 'dotenv") });
    const r = runCli(['run', 'flow.ts'], freshRoot(), env, bad);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /@secrets: unknown source type 'vault'/);
  });

  it('argo create references a Kubernetes secret, never its value, and the pod gets it', async () => {
    const root = freshRoot();
    const r = runCli(['argo', 'create', 'pod.ts', '-o', 'wt.yaml'], root, {}, dir);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(join(dir, 'wt.yaml'), 'utf8');
    const wt = YAML.parse(text) as WorkflowTemplate;
    const start = wt.spec.templates.find((t) => t.name === 'step-start')!.container!;
    assert.deepEqual(
      start.env.find((e) => e.name === 'K8S_PASSWORD'),
      { name: 'K8S_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'K8S_PASSWORD' } } },
    );
    const result = await executeWorkflowTemplate(wt, {
      cli: CLI,
      cwd: dir,
      env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
      workflowName: 'wf1',
      secrets: { 'db-creds': { K8S_PASSWORD: VALUES.K8S_PASSWORD } },
    });
    assert.equal(result.succeeded, true, result.pods.map((p) => p.stderr).join('\n'));
    const run = new Flow('PodSecretFlow', { root }).run('argo-wf1');
    assert.equal(run.step('start').task!.data.length, VALUES.K8S_PASSWORD.length);
    assert.match(run.step('start').task!.stdout, /password \[secret K8S_PASSWORD\]/);
    assert.deepEqual(filesHoldingSecrets(root), []);

    // Run locally, where no pod maps the secret: the task says where it would come from.
    const local = runCli(['run', 'pod.ts'], freshRoot(), {}, dir);
    assert.equal(local.code, 1);
    assert.match(
      local.stderr,
      /secret kubernetes\.db-creds\/K8S_PASSWORD: key K8S_PASSWORD of Kubernetes secret db-creds is not in this task's environment/,
    );
  });
});
