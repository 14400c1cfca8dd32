// @project: a run's project and branch (user.NAME, test.B, prod, prod.B) in its record, system
// tags and `current`; resume keeps the origin's; argo create names the template after the branch;
// a bad branch name or a --branch without @project is one line, exit 2.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { Flow } from '../../../runtime/client';
import type { WorkflowTemplate } from '../../../runtime/argo/workflow';
import { freshRoot, runCli } from '../../support/cli';
import { userProject } from './support';

const FLOW = `import { FlowSpec, step, project, current, Parameter } from 'flowspec';

@project({ name: 'fraud_model' })
export class TrainFlow extends FlowSpec {
  failAt = Parameter('failAt', { default: 'none' });

  @step start() {
    this.seen = [current.projectName, current.branchName, current.projectFlowName, current.isUserBranch, current.isProduction];
    this.next(this.end);
  }

  @step end() {
    if (this.failAt === 'end' && !current.originRunId) throw new Error('failing on purpose');
    this.endBranch = current.branchName;
  }
}
`;

const PLAIN = `import { FlowSpec, step, current, Parameter } from 'flowspec';

export class PlainFlow extends FlowSpec {
  branch = Parameter('branch', { default: 'main' });
  @step start() {
    this.project = current.projectName ?? 'none';
    this.next(this.end);
  }
  @step end() {}
}
`;

const USER = { FLOWSPEC_USER: 'alice' };

describe('@project and --branch / --production', () => {
  const dir = userProject({ 'flow.ts': FLOW, 'plain.ts': PLAIN });

  it("a run is on the user's branch by default, test.B with --branch, prod with --production", () => {
    const root = freshRoot();
    const cases: Array<[string[], string, boolean, boolean]> = [
      [[], 'user.alice', true, false],
      [['--branch', 'new_features'], 'test.new_features', false, false],
      [['--production'], 'prod', false, true],
      [['--production', '--branch', 'canary'], 'prod.canary', false, true],
    ];
    for (const [args, branch, isUser, isProd] of cases) {
      const r = runCli(['run', 'flow.ts', ...args], root, USER, dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`Project: fraud_model, Branch: ${branch.replace('.', '\\.')}`));
      const run = new Flow('TrainFlow', { root, namespace: null }).latestRun!;
      assert.deepEqual(run.step('start').task!.data.seen, ['fraud_model', branch, `fraud_model.${branch}.TrainFlow`, isUser, isProd]);
      assert.deepEqual(run.record.project?.branch, branch);
      assert.ok(run.systemTags.includes('project:fraud_model'), run.systemTags.join());
      assert.ok(run.systemTags.includes(`project_branch:${branch}`), run.systemTags.join());
      assert.ok(run.systemTags.includes('user:alice'));
    }
  });

  it("resume keeps the origin's branch, whoever resumes", () => {
    const root = freshRoot();
    const first = runCli(['run', 'flow.ts', '--branch', 'exp1', '--failAt', 'end'], root, USER, dir);
    assert.equal(first.code, 1, first.stderr);
    const resumed = runCli(['resume', 'flow.ts', '--origin-run-id', '1'], root, { FLOWSPEC_USER: 'bob' }, dir);
    assert.equal(resumed.code, 0, resumed.stderr);
    const run = new Flow('TrainFlow', { root, namespace: null }).run(2);
    assert.equal(run.record.project?.branch, 'test.exp1');
    assert.equal(run.data.endBranch, 'test.exp1');
  });

  it('refuses a bad branch name, a branch on a flow without @project, in one line, exit 2, no run', () => {
    const root = freshRoot();
    for (const [file, args, message] of [
      [
        'flow.ts',
        ['--branch', 'Feature-X'],
        /--branch 'Feature-X' may contain only lowercase letters, digits and underscores \(e\.g\. feature_x\)/,
      ],
      ['flow.ts', ['--branch'], /option --branch needs a value/],
      ['plain.ts', ['--production'], /--production applies to a flow with @project\(\{ name \}\); PlainFlow has none/],
    ] as const) {
      const r = runCli(['run', file, ...args], root, USER, dir);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
    }
    assert.deepEqual(Flow.list({ root, namespace: null }), [], 'no run of TrainFlow was created');
  });

  it('a flow without @project keeps a parameter named branch', () => {
    const root = freshRoot();
    const r = runCli(['run', 'plain.ts', '--branch', 'dev'], root, USER, dir);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('PlainFlow', { root, namespace: null }).latestRun!;
    assert.equal(run.parameters.branch, 'dev');
    assert.equal(run.step('start').task!.data.project, 'none');
  });

  it('argo create names the template after project and branch, and its runs get that branch', () => {
    const names = [[], ['--branch', 'exp_2'], ['--production']].map((args) => {
      const r = runCli(['argo', 'create', 'flow.ts', '-o', 'wt.yaml', ...args], freshRoot(), USER, dir);
      assert.equal(r.code, 0, r.stderr);
      const wt = YAML.parse(readFileSync(join(dir, 'wt.yaml'), 'utf8')) as WorkflowTemplate;
      const init = wt.spec.templates.find((t) => t.name === 'init-run')!.container!;
      return {
        name: wt.metadata.name,
        init: init.args.filter((a) => a === '--production' || a === '--branch' || a === 'exp_2'),
        env: init.env,
      };
    });
    assert.deepEqual(
      names.map((n) => n.name),
      ['fraud-model.user.alice.train-flow', 'fraud-model.test.exp-2.train-flow', 'fraud-model.prod.train-flow'],
    );
    assert.deepEqual(
      names.map((n) => n.init),
      [[], ['--branch', 'exp_2'], ['--production']],
    );
    assert.ok(
      names[0].env.some((e) => e.name === 'FLOWSPEC_USER' && 'value' in e && e.value === 'alice'),
      'the user branch is the deployer',
    );
  });
});
