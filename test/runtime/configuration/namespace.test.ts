// Namespaces in the client API and `flowspec runs`, as Metaflow's: by default only the runs of
// `user:NAME`; another namespace's run asked for by id is an explicit error; namespace(null) and
// `runs --all` see every run; a project branch is a namespace too.
import { strict as assert } from 'node:assert';
import { defaultNamespace, Flow, getNamespace, namespace, NamespaceMismatchError } from '../../../runtime/client';
import { freshRoot, runCli } from '../../support/cli';
import { userProject } from './support';

const FLOW = `import { FlowSpec, step, project } from 'flowspec';

@project({ name: 'shared' })
export class TeamFlow extends FlowSpec {
  @step start() {
    this.who = process.env.FLOWSPEC_USER;
    this.next(this.end);
  }
  @step end() {}
}
`;

describe('namespaces', () => {
  const dir = userProject({ 'flow.ts': FLOW });
  const root = freshRoot();
  const savedUser = process.env.FLOWSPEC_USER;
  before(() => {
    for (const [user, args] of [
      ['alice', []],
      ['bob', []],
      ['alice', ['--branch', 'exp']],
    ] as const) {
      const r = runCli(['run', 'flow.ts', ...args], root, { FLOWSPEC_USER: user }, dir);
      assert.equal(r.code, 0, r.stderr);
    }
    process.env.FLOWSPEC_USER = 'alice';
    defaultNamespace();
  });
  after(() => {
    if (savedUser === undefined) delete process.env.FLOWSPEC_USER;
    else process.env.FLOWSPEC_USER = savedUser;
    defaultNamespace();
  });

  it("a script sees its user's runs by default; another's run by id is an explicit error", () => {
    assert.equal(getNamespace(), 'user:alice');
    const flow = new Flow('TeamFlow', { root });
    assert.deepEqual(
      flow.runs().map((r) => r.id),
      ['3', '1'],
    );
    assert.equal(flow.latestRun!.id, '3');
    assert.throws(
      () => flow.run(2),
      (e: Error) =>
        e instanceof NamespaceMismatchError && /run TeamFlow\/2 is not in namespace 'user:alice'; namespace\(null\)/.test(e.message),
    );
    assert.equal(new Flow('TeamFlow', { root, namespace: null }).run(2).data.who, 'bob', 'asked for explicitly');
  });

  it('namespace(null) sees every run; a project branch is a namespace', () => {
    try {
      namespace(null);
      assert.deepEqual(
        new Flow('TeamFlow', { root }).runs().map((r) => r.id),
        ['3', '2', '1'],
      );
      namespace('project_branch:test.exp');
      assert.deepEqual(
        new Flow('TeamFlow', { root }).runs().map((r) => r.id),
        ['3'],
      );
      namespace('project:shared');
      assert.equal(new Flow('TeamFlow', { root }).runs().length, 3);
    } finally {
      defaultNamespace();
    }
  });

  it('flowspec runs lists the namespace and says how to see the others; dump opens a named run', () => {
    const alice = { FLOWSPEC_USER: 'alice' };
    const mine = runCli(['runs', 'TeamFlow'], root, alice, dir);
    assert.equal(mine.code, 0, mine.stderr);
    assert.match(mine.stdout, /^TeamFlow\s+3\s/m);
    assert.doesNotMatch(mine.stdout, /^TeamFlow\s+2\s/m);
    assert.match(mine.stdout, /Namespace user:alice \(1 run of other namespaces: flowspec runs --all\)\./);
    const all = runCli(['runs', 'TeamFlow', '--all', '--json'], root, alice, dir);
    assert.deepEqual(
      JSON.parse(all.stdout).map((r: { run: string }) => r.run),
      ['3', '2', '1'],
    );
    const bobs = runCli(['runs', '--namespace', 'user:bob', '--json'], root, alice, dir);
    assert.deepEqual(
      JSON.parse(bobs.stdout).map((r: { run: string }) => r.run),
      ['2'],
    );
    const carol = runCli(['runs', 'TeamFlow'], root, { FLOWSPEC_USER: 'carol' }, dir);
    assert.equal(carol.code, 2);
    assert.match(carol.stderr, /no runs of TeamFlow in namespace user:carol \(3 runs of other namespaces: flowspec runs --all\)/);
    const dump = runCli(['dump', 'TeamFlow/2/start/1'], root, alice, dir);
    assert.equal(dump.code, 0, dump.stderr);
    assert.match(dump.stdout, /who \(string\): 'bob'/);
  });

  it('resume picks the latest run of your namespace', () => {
    const r = runCli(['resume', 'flow.ts', 'end'], root, { FLOWSPEC_USER: 'bob' }, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Resuming TeamFlow\/2 as run 4/);
  });
});
