// mocha's spec output, plus the pass/fail/skip counts (and why each skipped test was skipped)
// written to $TEST_STATS_FILE so that scripts/test.mjs can print one totals line for every suite.
const fs = require('fs');
const Mocha = require('mocha');
// A TypeScript module: mocha runs with tsx/cjs registered (--require tsx/cjs).
const { collectSkipReasons } = require('./skip.ts');

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const skipReasons = collectSkipReasons(runner);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      if (process.env.TEST_STATS_FILE) {
        fs.writeFileSync(process.env.TEST_STATS_FILE, JSON.stringify({ passed: passes, failed: failures, skipped: pending, skipReasons }));
      }
    });
  }
}
module.exports = CountReporter;
