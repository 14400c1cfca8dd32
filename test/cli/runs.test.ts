// `flowspec runs` on an s3:// root lists what it lists on a local folder: the same runs, parameter
// values, tags (those given with --tag and those changed after the run by `flowspec tag`), --tag
// filters and namespaces; only the times differ. Over S3 the runs' tags and parameters are read a page
// at a time (runtime/client/runPage.ts); here ten runs cross the first page's end.
import { strict as assert } from 'node:assert';
import { cli, freshRoot, project } from '../faults/support';
import { s3ServerForSuite } from '../support/s3';

const FLOW = `import { FlowSpec, Parameter, step } from 'flowspec';
export class ListFlow extends FlowSpec {
  alpha = Parameter('alpha', { default: 1 });
  label = Parameter('label', { default: 'plain' });
  @step start() { this.next(this.end); }
  @step end() {}
}
`;

/** Runs as alice and bob, then tag changes after the fact; what each `flowspec runs` below prints, times left out. */
function listings(root: string, dir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const as = (user: string) => ({ ...env, FLOWSPEC_USER: user });
  const ok = (args: string[], user = 'alice') => {
    const r = cli(args, root, dir, as(user));
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  for (let i = 1; i <= 10; i++) {
    const user = i % 4 === 0 ? 'bob' : 'alice';
    ok(['run', 'flow.ts', '--alpha', String(i), ...(i % 3 ? [] : ['--label', `run ${i}`]), ...(i % 5 ? [] : ['--tag', 'exp'])], user);
  }
  ok(['tag', 'add', 'ListFlow/2', 'reviewed', 'team:ml']);
  ok(['tag', 'replace', 'ListFlow/5', 'exp', 'exp2']);
  ok(['tag', 'add', 'ListFlow/8', 'team:ml'], 'bob');
  ok(['tag', 'remove', 'ListFlow/10', 'exp']);
  const out: Record<string, string> = {};
  const list = (name: string, args: string[], user = 'alice') => {
    const r = cli(['runs', ...args], root, dir, as(user));
    out[name] = `exit ${r.code}\n${withoutTimes(r.stdout)}${r.stderr}`;
  };
  list('mine', ['ListFlow']);
  list('mine --json', ['ListFlow', '--json']);
  list('every flow', []);
  list('all', ['--all', '--json']);
  list('bob', ['ListFlow', '--namespace', 'user:bob']);
  list('a user tag as namespace', ['--namespace', 'team:ml', '--json']);
  list('tagged', ['ListFlow', '--tag', 'exp', '--all']);
  list('tagged after the run', ['ListFlow', '--tag', 'reviewed', '--json']);
  list('tagged, two tags', ['--tag', 'exp2', '--tag', 'exp']);
  list('carol', ['ListFlow'], 'carol');
  return out;
}

/** The output with creation times and durations blanked, and a table's columns closed up (their widths follow the times). */
function withoutTimes(stdout: string): string {
  return stdout
    .replace(/"createdAt": "[^"]+"/g, '"createdAt": "T"')
    .replace(/"duration": "[^"]*"/g, '"duration": "D"')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +[\d.ms]+s/g, 'T D')
    .replace(/ {2,}/g, '  ');
}

describe('flowspec runs', function () {
  this.timeout(300_000);
  const s3 = s3ServerForSuite();

  it('lists on an s3:// root what it lists on a local folder: parameters, tags changed after the run, --tag, namespaces', () => {
    const dir = project({ 'flow.ts': FLOW });
    const local = listings(freshRoot(), dir, {});
    const onS3 = listings(s3.root('runs'), dir, s3.env('runs'));
    for (const name of Object.keys(local)) assert.equal(onS3[name], local[name], `flowspec runs (${name}) on S3`);

    // What the local listing shows is what the runs are: a sanity check of the comparison itself.
    const mine = JSON.parse(local['mine --json'].replace(/^exit 0\n/, '')) as Array<{ run: string; tags: string[]; parameters: object }>;
    assert.deepEqual(
      mine.map((r) => r.run),
      ['10', '9', '7', '6', '5', '3', '2', '1'],
    );
    assert.deepEqual(mine.find((r) => r.run === '9')!.parameters, { alpha: 9, label: 'run 9' });
    assert.deepEqual(mine.find((r) => r.run === '2')!.tags, ['reviewed', 'team:ml']);
    assert.deepEqual(mine.find((r) => r.run === '5')!.tags, ['exp2']);
    assert.deepEqual(mine.find((r) => r.run === '10')!.tags, []);
    assert.match(local.mine, /Namespace user:alice \(2 runs of other namespaces: flowspec runs --all\)\.\n$/);
    assert.deepEqual(
      (JSON.parse(local['a user tag as namespace'].replace(/^exit 0\n/, '')) as Array<{ run: string }>).map((r) => r.run),
      ['8', '2'],
    );
    assert.match(local.carol, /^exit 2\n[^]*no runs of ListFlow in namespace user:carol \(10 runs of other namespaces/);
  });
});
