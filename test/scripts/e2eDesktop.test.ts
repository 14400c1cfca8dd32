// `npm run test:e2e:desktop` (test/e2e/desktop.mjs): what can be checked without downloading VS
// Code — the options it gives @vscode/test-electron, when it needs xvfb, the suite's entry point,
// and a whole run through test-electron's runTests with a stand-in for the VS Code executable
// that records what it was started with and reports counts as the suite would.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desktopRunOptions, needsXvfb, SUITE } from '../e2e/desktop.mjs';
import { REPO } from '../support/cli';

describe('the e2e suite in desktop VS Code (launcher)', () => {
  it('starts VS Code on a workspace copy with a profile of its own, the repo as the extension and the suite as its tests', () => {
    const options = desktopRunOptions({ root: '/tmp/r', workspace: '/tmp/r/workspace', env: { AWS_REGION: 'us-east-1' }, grep: 'graph' });
    assert.equal(options.version, 'stable');
    assert.equal(options.extensionDevelopmentPath, REPO);
    assert.equal(options.extensionTestsPath, join(REPO, 'dist/e2e/suite.js'));
    assert.deepEqual(options.launchArgs, [
      '/tmp/r/workspace',
      '--user-data-dir=/tmp/r/user',
      '--extensions-dir=/tmp/r/extensions',
      '--disable-extensions',
    ]);
    assert.deepEqual(options.extensionTestsEnv, {
      AWS_REGION: 'us-east-1',
      FLOWSPEC_E2E_STATS: '/tmp/r/stats.json',
      FLOWSPEC_E2E_WORKSPACE: '/tmp/r/workspace',
      FLOWSPEC_E2E_GREP: 'graph',
      FLOWSPEC_DATASTORE_ROOT: '',
      TEST_STATS_FILE: '',
    });
    assert.ok(!('FLOWSPEC_E2E_UI' in options.extensionTestsEnv), 'no browser page to ask: those checks skip');
    assert.equal(desktopRunOptions({ root: '/r', workspace: '/w', vscodeExecutablePath: '/opt/code' }).vscodeExecutablePath, '/opt/code');
  });

  it('runs VS Code under xvfb-run only on Linux without a display', () => {
    assert.equal(needsXvfb({ platform: 'linux', env: {} }), true);
    assert.equal(needsXvfb({ platform: 'linux', env: { DISPLAY: ':0' } }), false);
    assert.equal(needsXvfb({ platform: 'linux', env: { FLOWSPEC_E2E_UNDER_XVFB: '1' } }), false);
    assert.equal(needsXvfb({ platform: 'darwin', env: {} }), false);
  });

  it("the suite's entry point is the bundle both launchers load, exporting run()", () => {
    assert.ok(existsSync(SUITE), 'npm run build writes dist/e2e/suite.js');
    const suite = require(SUITE) as { run?: unknown };
    assert.equal(typeof suite.run, 'function');
  });

  it('a run through @vscode/test-electron with a stand-in VS Code: its arguments, and the totals line from the counts', function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'flowspec-fake-code-'));
    const fake = join(dir, 'code');
    const seen = join(dir, 'seen.json');
    writeFileSync(
      fake,
      `#!${process.execPath}
const fs = require('fs');
fs.writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ args: process.argv.slice(2), workspace: process.env.FLOWSPEC_E2E_WORKSPACE, s3: process.env.FLOWSPEC_E2E_S3_ROOT }));
fs.writeFileSync(process.env.FLOWSPEC_E2E_STATS, JSON.stringify({ passed: 3, failed: 0, skipped: 2, skipReasons: { 'no page': 2 } }));
`,
    );
    chmodSync(fake, 0o755);
    const r = spawnSync(process.execPath, [join(REPO, 'test/e2e/desktop.mjs')], {
      cwd: REPO,
      env: { ...process.env, VSCODE_EXECUTABLE: fake, DISPLAY: ':0', TEST_STATS_FILE: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^skipped: 2 because no page\n3 passed, 0 failed, 2 skipped\n$/m);
    const { args, workspace, s3 } = JSON.parse(readFileSync(seen, 'utf8')) as { args: string[]; workspace: string; s3: string };
    assert.equal(args[0], workspace, 'the workspace copy is the folder VS Code opens');
    assert.match(workspace, /flowspec-e2e-desktop-[^/]+\/workspace$/, 'a copy of the fixture in a temp folder of the run');
    for (const arg of [
      `--extensionTestsPath=${SUITE}`,
      `--extensionDevelopmentPath=${REPO}`,
      '--disable-extensions',
      '--disable-workspace-trust',
    ])
      assert.ok(args.includes(arg), `${arg} in ${args.join(' ')}`);
    assert.ok(args.some((a) => a.startsWith('--user-data-dir=')));
    assert.equal(s3, 's3://flowspec-e2e/runs', 'the S3 test server, as run.mjs gives it');
  });
});
