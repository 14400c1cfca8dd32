// Entry point VS Code loads as extensionTestsPath (bundled to dist/e2e/suite.js), in code-server
// (test/e2e/run.mjs) or desktop VS Code (test/e2e/desktop.mjs): runs the mocha suites inside the
// extension host and writes the counts where the launcher reads them (FLOWSPEC_E2E_STATS).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { collectSkipReasons } from '../../support/skip';

export async function run(): Promise<void> {
  // mocha 12 is an ES module with a CommonJS build beside it; load that one at run time from the
  // repo's node_modules rather than bundling it (its reporters are loaded dynamically).
  const req = createRequire(__filename);
  const Mocha = req('mocha/lib/mocha.cjs') as typeof import('mocha');
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  if (process.env.FLOWSPEC_E2E_GREP) mocha.grep(process.env.FLOWSPEC_E2E_GREP);
  // Make describe/it global, then load the test modules (esbuild keeps require()d modules lazy,
  // so their top level runs now, after the globals exist). Order is the order they run in.
  mocha.suite.emit('pre-require', globalThis, 'e2e', mocha);
  // The running test, so that a check of the browser page can skip it where there is no page
  // (desktop VS Code: test/e2e/desktop.mjs).
  mocha.suite.beforeEach(function () {
    (require('./helpers') as typeof import('./helpers')).setRunningTest(this.currentTest);
  });
  // A screenshot of every failure, named after the test, to see what the user would have seen.
  mocha.suite.afterEach(async function () {
    const t = this.currentTest;
    if (t?.state !== 'failed' || !process.env.FLOWSPEC_E2E_UI) return;
    const { dom } = require('./helpers') as typeof import('./helpers');
    await dom
      .screenshot(
        `failed-${t
          .fullTitle()
          .replace(/[^\w]+/g, '-')
          .slice(0, 80)}`,
      )
      .catch(() => undefined);
  });
  require('./activation.test');
  require('./types.test');
  require('./diagnostics.test');
  require('./codelens.test');
  require('./language.test');
  require('./navigation.test');
  require('./graph.test');
  require('./run.test');
  require('./tree.test');
  require('./cards.test');
  require('./params.test');
  require('./debug.test');
  require('./spin.test');
  require('./newProject.test');
  require('./s3.test');
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
      if (process.env.FLOWSPEC_E2E_STATS) {
        writeFileSync(process.env.FLOWSPEC_E2E_STATS, JSON.stringify({ passed: passes, failed, skipped: pending, skipReasons }));
      }
      failures ? reject(new Error(`${failures} e2e test(s) failed`)) : resolve();
    });
    // Why each skipped test was skipped (test/support/skip.ts), for the totals line.
    const skipReasons = collectSkipReasons(runner);
  });
}
