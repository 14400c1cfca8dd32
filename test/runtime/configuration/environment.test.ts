// @environment: variables set for each task of the step, undone after it, kept in the task's
// record (`flowspec dump`), and in the step's container on Argo; bad names are refused at once.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { Flow } from '../../../runtime/client';
import type { WorkflowTemplate } from '../../../runtime/argo/workflow';
import { freshRoot, runCli } from '../../support/cli';
import { userProject } from './support';

const FLOW = `import { FlowSpec, step, environment } from 'flowspec';

export class EnvFlow extends FlowSpec {
  @step start() {
    this.before = process.env.GREETING ?? 'unset';
    this.next(this.greet);
  }

  @environment({ vars: { GREETING: 'hello', COUNT: 3 } })
  @step greet() {
    this.greeting = process.env.GREETING;
    this.count = process.env.COUNT;
    this.next(this.end);
  }

  @step end() {
    this.after = process.env.GREETING ?? 'unset';
  }
}
`;

describe('@environment', () => {
  it("sets the step's variables for its task only, and dump shows them", () => {
    const dir = userProject({ 'flow.ts': FLOW });
    const root = freshRoot();
    const r = runCli(['run', 'flow.ts', '--max-workers', '1'], root, {}, dir);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('EnvFlow', { root }).latestRun!;
    assert.equal(run.step('start').task!.data.before, 'unset');
    assert.equal(run.step('greet').task!.data.greeting, 'hello');
    assert.equal(run.step('greet').task!.data.count, '3', 'values become strings');
    assert.equal(run.data.after, 'unset', 'a warm worker does not keep them for the next task');

    const dump = runCli(['dump', `EnvFlow/${run.id}/greet/${run.step('greet').task!.id}`], root, {}, dir);
    assert.equal(dump.code, 0, dump.stderr);
    assert.match(dump.stdout, /environment \(@environment\): GREETING=hello, COUNT=3/);
    const json = JSON.parse(runCli(['dump', `EnvFlow/${run.id}/greet`, '--json'], root, {}, dir).stdout);
    assert.deepEqual(json[0].environment, { GREETING: 'hello', COUNT: '3' });
  });

  it("is in the step's container on Argo, and only in that step's", () => {
    const dir = userProject({ 'flow.ts': FLOW });
    const r = runCli(['argo', 'create', 'flow.ts', '-o', 'wt.yaml'], freshRoot(), {}, dir);
    assert.equal(r.code, 0, r.stderr);
    const wt = YAML.parse(readFileSync(join(dir, 'wt.yaml'), 'utf8')) as WorkflowTemplate;
    const envOf = (name: string) => wt.spec.templates.find((t) => t.name === name)!.container!.env;
    assert.deepEqual(
      envOf('step-greet').filter((e) => e.name === 'GREETING' || e.name === 'COUNT'),
      [
        { name: 'GREETING', value: 'hello' },
        { name: 'COUNT', value: '3' },
      ],
    );
    assert.ok(!envOf('step-start').some((e) => e.name === 'GREETING'));
    assert.ok(
      envOf('step-greet').some((e) => e.name === 'FLOWSPEC_DATASTORE_ROOT'),
      'the datastore settings stay',
    );
  });

  it('refuses a name that is not an environment variable name, in one line', () => {
    const dir = userProject({ 'flow.ts': FLOW.replace("GREETING: 'hello'", "'MY-VAR': 'hello'") });
    const r = runCli(['run', 'flow.ts'], freshRoot(), {}, dir);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /@environment: 'MY-VAR' is not an environment variable name/);
  });
});
