// `flowspec check | graph | show` through the built CLI (node dist/cli.js), as a user runs them.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const FIX = 'test/fixtures/analysis';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('flowspec check / graph / show', function () {
  this.timeout(30000);

  it('check prints file:line:col severity code message and exits 1 on errors', () => {
    const file = `${FIX}/unknown-step/broken-typo.ts`;
    const r = cli('check', file);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.split('\n')[0], `${file}:4:29 error unknown-step 'procss' is not a step of TypoFlow; did you mean 'process'?`);
    assert.equal(r.stderr, '');
  });

  it('check --json gives file, code, severity, message, range, line and column for several files', () => {
    const a = `${FIX}/missing-end/broken-no-end.ts`;
    const b = `${FIX}/unreachable-step/broken-orphan.ts`;
    const r = cli('check', a, b, '--json');
    assert.equal(r.code, 1);
    const ds = JSON.parse(r.stdout);
    assert.deepEqual(
      ds.map((d: any) => `${d.file} ${d.code} ${d.severity} ${d.line}:${d.column}`),
      [`${a} missing-end error 3:14`, `${a} missing-transition error 5:9`, `${b} unreachable-step warning 5:9`],
    );
    assert.deepEqual(ds[0].range, { start: { line: 2, character: 13 }, end: { line: 2, character: 22 } });
    assert.ok(ds[0].message.includes("no 'end' step"));
  });

  it('check exits 0 on warnings only and on valid flows, which it says in one line', () => {
    assert.equal(cli('check', `${FIX}/unreachable-step/broken-orphan.ts`).code, 0);
    const r = cli('check', `${FIX}/valid/branch.ts`, `${FIX}/valid/switch.ts`);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^2 files: no problems \(7 flows: BranchFlow, .*\)\n$/);
  });

  it('bad input is one line on stderr and exit 2', () => {
    const r = cli('check', 'no/such/file.ts');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'flowspec: no such file: no/such/file.ts\n');
    assert.equal(cli('graph', `${FIX}/valid/branch.ts`, '--format', 'png').code, 2);
    assert.equal(cli('show', `${FIX}/valid/branch.ts`, '--flow', 'Nope').code, 2);
    const none = cli('show', 'package.json');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^flowspec: no flow in package\.json/);
    assert.equal(cli('check').code, 2);
  });

  it('graph defaults to JSON with nodes {name, kind, doc, line} and edges', () => {
    const r = cli('graph', `${FIX}/valid/branch.ts`, '--flow', 'BranchFlow');
    assert.equal(r.code, 0);
    const g = JSON.parse(r.stdout);
    assert.equal(g.flows.length, 1);
    assert.deepEqual(
      g.flows[0].nodes.map((n: any) => `${n.name}:${n.kind}:${n.line}`),
      ['start:start:6', 'a:linear:7', 'b:linear:8', 'join:join:9', 'end:end:13'],
    );
    assert.deepEqual(g.flows[0].edges[0], { from: 'start', to: 'a', kind: 'branch' });
    assert.deepEqual(g.flows[0].parameters, [{ name: 'alpha', type: 'number', default: 0.01, required: false, help: 'Learning rate' }]);
  });

  it('graph --format dot and mermaid', () => {
    const dot = cli('graph', `${FIX}/valid/branch.ts`, '--flow', 'BranchFlow', '--format', 'dot');
    assert.equal(dot.code, 0);
    assert.match(dot.stdout, /^digraph "BranchFlow" \{/);
    assert.match(dot.stdout, /"start" -> "a";/);
    const mm = cli('graph', `${FIX}/valid/switch.ts`, '--flow', 'SwitchLoopFlow', '--format', 'mermaid');
    assert.match(mm.stdout, /^flowchart TD\n/);
    assert.match(mm.stdout, /step_decide -.->\|"again"\| step_attempt/);
  });

  it('show prints the steps in order with docs and transitions', () => {
    const r = cli('show', `${FIX}/valid/switch.ts`, '--flow', 'SwitchFlow');
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      [
        'Step start',
        '    => fast: quick, slow: careful (switch on speed)',
        '',
        'Step quick',
        '    => report',
        '',
        'Step careful',
        '    => report',
        '',
        'Step report',
        "    Both cases meet here: a switch's paths need no join.",
        '    => end',
        '',
        'Step end',
        '',
      ].join('\n'),
    );
    const all = cli('show', `${FIX}/valid/multi.ts`);
    assert.match(all.stdout, /^Flow FirstFlow\n\nTwo flows in one file; one through a namespace import\.\n\nStep start\n    => end\n/);
    assert.match(all.stdout, /\nFlow SecondFlow\n\nStep start\n    => end\n/);
  });
});
