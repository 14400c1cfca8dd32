// `flowspec show` through the built CLI (node dist/cli.js), as a user runs it.
import { strict as assert } from 'node:assert';
import { freshRoot, runCli } from '../support/cli';

const FIX = 'test/fixtures/analysis';
const cli = (...args: string[]) => runCli(args, freshRoot());

describe('flowspec show', function () {
  this.timeout(30000);

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

  it('bad input is one line on stderr and exit 2', () => {
    assert.equal(cli('show', `${FIX}/valid/branch.ts`, '--flow', 'Nope').code, 2);
    const none = cli('show', 'package.json');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^flowspec: no flow in package\.json/);
  });
});
