// `flowspec check` through the built CLI (node dist/cli.js), as a user runs it.
import { strict as assert } from 'node:assert';
import { freshRoot, runCli } from '../support/cli';

const FIX = 'test/fixtures/analysis';
const cli = (...args: string[]) => runCli(args, freshRoot());

describe('flowspec check', function () {
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
    assert.equal(cli('check').code, 2);
  });
});
