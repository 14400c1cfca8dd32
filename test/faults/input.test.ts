// Hostile input: identifiers that would leave the datastore, files from outside the project,
// escape sequences in stored values, very long names, and a few hundred random bad invocations.
// Each is one line on stderr, exit 2, no stack trace, nothing created.
import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../support/cli';
import { assertOneLine, cli, cliAsync, freshRoot, linearFlow, project } from './support';

const FLOW = linearFlow('SafeFlow', 'this.x = 1;');

/** Every path under `dir` (relative), to see that nothing was written. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

describe('faults: paths and identifiers', () => {
  it('names that would leave the datastore are refused, and nothing is written outside it', () => {
    const dir = project({ 'flow.ts': FLOW });
    const outer = freshRoot();
    const root = join(outer, 'store');
    mkdirSync(root);
    assert.equal(cli(['run', 'flow.ts'], root, dir).code, 0);
    const before = tree(outer);
    const cases: Array<[string[], RegExp]> = [
      [['step', 'flow.ts', 'start', '--run-id', '1', '--task-id', '../../../../x'], /'\.\.\/\.\.\/\.\.\/\.\.\/x' cannot be a task id/],
      [['step', 'flow.ts', 'start', '--run-id', '../../x', '--task-id', '9'], /cannot be a run id/],
      [['step', 'flow.ts', '../../x', '--run-id', '1', '--task-id', '9'], /cannot be a step name/],
      [['step', 'flow.ts', 'start', '--flow', '../../x', '--run-id', '1', '--task-id', '9'], /cannot be a flow name/],
      [
        ['step', 'flow.ts', 'start', '--run-id', '1', '--task-id', '9', '--input-paths', '1/../../x/1'],
        /cannot be a step name|bad task path/,
      ],
      [['finish-run', '--flow', '../outside', '--run-id', '1'], /cannot be a flow name/],
      [['runs', '../outside'], /cannot be a flow name/],
      [['dump', 'SafeFlow/1/../x'], /not a pathspec|cannot be/],
      [['fsck', '../outside'], /cannot be a flow name/],
      [['resume', 'flow.ts', '--origin-run-id', '../../SafeFlow/runs/1'], /cannot be a run id/],
      [['init-run', 'flow.ts', '--run-id', '../x'], /cannot be a run id/],
      [['run', 'flow.ts', '--flow', 'F'.repeat(100_000)], /it is 100000 characters long/],
      [['runs', 'R'.repeat(100_000)], /it is 100000 characters long/],
    ];
    for (const [args, message] of cases) assertOneLine(cli(args, root, dir), 2, message);
    assert.deepEqual(tree(outer), before);
  });

  it('argo create and init-run: every bad invocation is one line, without the datastore warning before it', () => {
    const dir = project({ 'flow.ts': FLOW, 'broken.ts': 'export class X extends {' });
    const root = freshRoot();
    assertOneLine(cli(['argo', 'create', 'broken.ts'], root, dir), 2, /broken\.ts:\d+:\d+: /);
    assertOneLine(cli(['argo', 'create', 'flow.ts', '--flow', 'Nope'], root, dir), 2, /no flow named 'Nope'/);
    assertOneLine(cli(['argo', 'create'], root, dir), 2, /usage: flowspec argo create/);
    assertOneLine(cli(['init-run'], root, dir), 2, /usage: flowspec init-run/);
    assertOneLine(cli(['init-run', 'broken.ts'], root, dir), 2, /broken\.ts:\d+:\d+: /);
    // A template made from a local datastore still says pods cannot reach it.
    assert.match(cli(['argo', 'create', 'flow.ts'], root, dir).stderr, /warning: the datastore is the local folder/);
  });

  it('toInit copies only paths inside the project or a declared connection', () => {
    const dir = project({ 'flow.ts': FLOW, 'inside.txt': 'ok' });
    const root = freshRoot();
    for (const path of ['/etc/hostname', '../outside.txt']) {
      writeFileSync(join(dir, '..', 'outside.txt'), 'secret');
      writeFileSync(join(dir, 'params.yaml'), `data:\n  toInit: true\n  value: { files: ['${path}'] }\n`);
      assertOneLine(
        cli(['run', 'flow.ts', '--params', 'params.yaml'], root, dir),
        2,
        new RegExp(`'${path.replace(/[./]/g, '\\$&')}' is outside the project`),
      );
    }
    assert.deepEqual(
      readdirSync(root).filter((n) => !n.startsWith('.')),
      [],
      'no run created',
    );
  });
});

describe('faults: terminal output', () => {
  it('escape sequences in tags and parameter values are shown escaped by runs and dump', () => {
    const flow = `import { FlowSpec, Parameter, step } from 'flowspec';
export class EscFlow extends FlowSpec {
  label = Parameter('label', { default: 'x' });
  @step start() { this.shown = this.label; this.next(this.end); }
  @step end() {}
}
`;
    const dir = project({ 'flow.ts': flow });
    const root = freshRoot();
    const evil = '\u001b]0;pwned\u0007\u001b[31mred';
    assert.equal(cli(['run', 'flow.ts', '--tag', evil, '--label', evil], root, dir).code, 0);
    for (const args of [['runs'], ['dump', 'EscFlow/1'], ['dump', 'EscFlow/1/start/1']]) {
      const r = cli(args, root, dir);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f]/, `${args.join(' ')} printed a control character`);
      assert.match(r.stdout, /\\x1b|\\u001b|\\x1B/, `${args.join(' ')} shows the escape`);
    }
  });
});

describe('faults: the command line', () => {
  it('flowspec --version prints the package version', () => {
    const r = cli(['--version'], freshRoot(), REPO);
    assert.equal(r.code, 0);
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    assert.match(r.stdout, new RegExp(`^flowspec ${version.replace(/\./g, '\\.')} \\(node `));
  });

  it('FLOWSPEC_DEBUG=1 adds the stack after the one line', () => {
    const quiet = cli(['runs', '../x'], freshRoot(), REPO);
    assertOneLine(quiet, 2, /cannot be a flow name/);
    const debug = cli(['runs', '../x'], freshRoot(), REPO, { FLOWSPEC_DEBUG: '1' });
    assert.equal(debug.code, 2);
    assert.match(debug.stderr, /^flowspec: '\.\.\/x' cannot be a flow name.*\n\[debug\] UserError: .*\n\s+at /);
  });

  it('a bad option of check, graph or show: one line that names it and shows the usage', () => {
    const dir = project({ 'flow.ts': FLOW });
    const root = freshRoot();
    assertOneLine(
      cli(['check', 'flow.ts', '--jsn'], root, dir),
      2,
      /^flowspec: unknown option --jsn \(usage: flowspec check FILE\.\.\. \[--json\]\)$/,
    );
    assertOneLine(
      cli(['graph', 'flow.ts', '--format'], root, dir),
      2,
      /^flowspec: option --format needs a value \(usage: flowspec graph FILE/,
    );
    assertOneLine(
      cli(['show', 'flow.ts', '--flw', 'X'], root, dir),
      2,
      /^flowspec: unknown option --flw \(usage: flowspec show FILE \[--flow NAME\]\)$/,
    );
  });

  it('200 random bad invocations: each is one line, exit 2, no stack trace, no run, no hang', async function () {
    this.timeout(600_000);
    const dir = project({ 'flow.ts': FLOW });
    const root = freshRoot();
    let seed = 13;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    const word = () =>
      Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick([...'abcdefghijklmnopqrstuvwxyz_0123456789'])).join('');
    const badId = () =>
      pick([
        '../../x',
        '../outside',
        'a/b',
        '.',
        '..',
        '/abs',
        'a b',
        '\u001b[31mred',
        'tab\there',
        'x'.repeat(300),
        `${word()}/..`,
        `-${word()}`,
      ]);
    const templates: Array<() => string[]> = [
      () => ['run', 'flow.ts', '--until', `no${word()}`],
      () => ['run', 'flow.ts', '--run-id-file', `missing-${word()}/dir/f`],
      () => ['run', 'flow.ts', '--max-workers', pick(['0', '-1', 'abc', '1.5', '', '1e3'])],
      () => ['run', 'flow.ts', `--${word()}x`, word()],
      () => ['run', `missing-${word()}.ts`],
      () => ['run', 'flow.ts', '--flow', badId()],
      () => ['run', 'flow.ts', 'extra', word()],
      () => ['step', 'flow.ts', 'start', '--run-id', badId(), '--task-id', '1'],
      () => ['step', 'flow.ts', 'start', '--run-id', '1', '--task-id', '1', '--split-index', pick(['abc', '-2', '1.5', '0x1', ''])],
      () => ['step', 'flow.ts', 'start', '--run-id', '1', '--task-id', '1', '--retry-count', pick(['x', '-1', '2.5'])],
      () => ['step', 'flow.ts', badId(), '--run-id', '1', '--task-id', '1'],
      () => ['step', 'flow.ts', 'start', '--flow', 'SafeFlow', '--run-id', String(100 + Math.floor(random() * 100)), '--task-id', '1'],
      () => ['step', 'flow.ts'],
      () => ['dump', pick(['', 'SafeFlow', `SafeFlow/${badId()}`, 'a/b/c/d/e', `${badId()}/1`])],
      () => ['dump', `SafeFlow/${1 + Math.floor(random() * 50)}`],
      () => ['runs', badId()],
      () => ['runs', `No${word()}`],
      () => ['runs', `--${word()}`],
      () => ['fsck', badId()],
      () => ['finish-run', '--flow', badId(), '--run-id', '1'],
      () => ['finish-run', '--flow', 'SafeFlow'],
      () => ['resume', 'flow.ts', '--origin-run-id', badId()],
      () => ['resume', 'flow.ts', `no${word()}`],
      () => ['init-run', 'flow.ts', '--run-id', badId()],
      () => ['init-run', 'flow.ts', '--run-id-file', `missing-${word()}/f`],
      () => [`${word()}zz`],
      () => ['show', `missing-${word()}.ts`],
      () => ['graph', 'flow.ts', '--format', `x${word()}`],
      () => [pick(['check', 'graph', 'show']), 'flow.ts', `--${word()}x`],
      () => [pick(['graph', 'show']), 'flow.ts', '--flow'],
    ];
    const invocations = Array.from({ length: 200 }, () => pick(templates)());
    const failures: string[] = [];
    const queue = [...invocations];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (queue.length) {
          const args = queue.shift()!;
          const r = await cliAsync(args, root, dir, {}, 60_000);
          const lines = r.stderr.trim().split('\n');
          const shown = JSON.stringify(args.map((a) => (a.length > 40 ? `${a.slice(0, 40)}…` : a)));
          if (r.code !== 2) failures.push(`${shown}: exit ${r.code} ${r.stderr.slice(0, 200)}`);
          else if (lines.length !== 1 || !lines[0].startsWith('flowspec: ') || /\n\s+at |internal error/.test(r.stderr))
            failures.push(`${shown}: ${r.stderr.slice(0, 300)}`);
        }
      }),
    );
    assert.deepEqual(failures, []);
    assert.deepEqual(
      readdirSync(root).filter((n) => !n.startsWith('.')),
      [],
      'no run created',
    );
  });
});
