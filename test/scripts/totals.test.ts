// The totals line of `npm test` (scripts/test.mjs, test/support/totals.mjs) counts skipped tests
// and names why each was skipped: the reason given to skipBecause, collected by the count reporter.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../support/cli';
import { totalsLine } from '../support/totals.mjs';

describe('the totals line', () => {
  it('says how many tests were skipped and why', () => {
    const stats = join(mkdtempSync(join(tmpdir(), 'flowspec-totals-')), 'stats.json');
    const r = spawnSync(
      process.execPath,
      [
        join(REPO, 'node_modules/mocha/bin/mocha.js'),
        '--require',
        'tsx/cjs',
        '--reporter',
        './test/support/count-reporter.cjs',
        'test/fixtures/skips/skips.test.ts',
      ],
      { cwd: REPO, env: { ...process.env, TEST_STATS_FILE: stats }, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const counts = JSON.parse(readFileSync(stats, 'utf8'));
    assert.equal(
      totalsLine(counts),
      'skipped: 2 because no widget here; 1 because no gadget; 1 because no reason given (skip with skipBecause from test/support/skip.ts)\n' +
        '1 passed, 0 failed, 4 skipped',
    );
  });
});
