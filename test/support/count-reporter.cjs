// mocha's spec output, plus the pass/fail counts written to $TEST_STATS_FILE so that
// scripts/test.mjs can print one `N passed, N failed` line for every suite together.
const fs = require('fs');
const Mocha = require('mocha');

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      if (process.env.TEST_STATS_FILE) {
        fs.writeFileSync(process.env.TEST_STATS_FILE, JSON.stringify({ passed: passes, failed: failures, skipped: pending }));
      }
    });
  }
}
module.exports = CountReporter;
