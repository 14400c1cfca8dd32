// `npm run test:e2e:desktop`: the same e2e mocha suite (test/e2e/suite, bundled to
// dist/e2e/suite.js) in desktop VS Code, started by @vscode/test-electron as the public CI of VS Code
// extensions does. test-electron downloads VS Code (VSCODE_VERSION, default `stable`; or set
// VSCODE_EXECUTABLE to a VS Code already installed) and this script runs it under `xvfb-run` where
// Linux has no display. The checks that read the browser page (ui.mjs's DOM bridge, screenshots)
// have no page in desktop VS Code: those tests skip, and the totals line says why. The offline
// path, and the one .ci/run uses, is run.mjs (code-server in headless Chromium).
// Builds nothing (npm run test:e2e:desktop builds first). Prints the totals line; exits non-zero on
// any failure. Env: E2E_GREP (mocha grep), E2E_KEEP=1 (keep the temp folder).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO } from './codeServer.mjs';
import { totalsLine } from '../support/totals.mjs';
import { copyWorkspace, startS3, WINDOW_SETTINGS } from './testWindow.mjs';

export const SUITE = join(REPO, 'dist/e2e/suite.js');

/**
 * The options of test-electron's runTests for one run of the suite: the extension under
 * development (the repo), the suite's entry point, the workspace copy opened in the window, a
 * profile of its own (user data with the test settings, no other extensions), and what the suite
 * reads from its environment (no FLOWSPEC_E2E_UI: there is no browser page to ask).
 */
export function desktopRunOptions({ root, workspace, env = {}, grep = '', version = 'stable', vscodeExecutablePath }) {
  return {
    ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version }),
    extensionDevelopmentPath: REPO,
    extensionTestsPath: SUITE,
    launchArgs: [
      workspace,
      `--user-data-dir=${join(root, 'user')}`,
      `--extensions-dir=${join(root, 'extensions')}`,
      '--disable-extensions',
    ],
    extensionTestsEnv: {
      ...env,
      FLOWSPEC_E2E_STATS: join(root, 'stats.json'),
      FLOWSPEC_E2E_WORKSPACE: workspace,
      FLOWSPEC_E2E_GREP: grep,
      // Runs go to <workspace>/.flowspec, like a user's.
      FLOWSPEC_DATASTORE_ROOT: '',
      TEST_STATS_FILE: '',
    },
  };
}

/** Whether VS Code needs a virtual display: Linux without DISPLAY (or WAYLAND_DISPLAY), not already under xvfb-run. */
export function needsXvfb({ platform = process.platform, env = process.env } = {}) {
  return platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY && env.FLOWSPEC_E2E_UNDER_XVFB !== '1';
}

function report(totals, why) {
  if (why) console.log(`e2e (desktop): ${why}`);
  if (process.env.TEST_STATS_FILE) writeFileSync(process.env.TEST_STATS_FILE, JSON.stringify(totals));
  console.log(totalsLine(totals));
  return totals.failed ? 1 : 0;
}

async function main() {
  for (const [what, file] of [
    ['the extension (npm run build)', join(REPO, 'dist/extension.js')],
    ['the e2e bundle (npm run build)', SUITE],
  ])
    if (!existsSync(file)) return report({ passed: 0, failed: 1 }, `missing ${what}: ${file}`);
  if (needsXvfb()) {
    const xvfb = (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, 'xvfb-run')));
    if (!xvfb) return report({ passed: 0, failed: 1 }, 'no display and no xvfb-run: install xvfb (apt-get install xvfb) or set DISPLAY');
    const r = spawnSync('xvfb-run', ['-a', process.execPath, fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, FLOWSPEC_E2E_UNDER_XVFB: '1' },
    });
    return r.status ?? 1;
  }
  const { runTests } = await import('@vscode/test-electron');
  const root = mkdtempSync(join(tmpdir(), 'flowspec-e2e-desktop-'));
  const workspace = copyWorkspace(root);
  mkdirSync(join(root, 'user/User'), { recursive: true });
  writeFileSync(join(root, 'user/User/settings.json'), JSON.stringify(WINDOW_SETTINGS, null, 2));
  const s3 = await startS3(root);
  try {
    const options = desktopRunOptions({
      root,
      workspace,
      env: s3.env,
      grep: process.env.E2E_GREP,
      version: process.env.VSCODE_VERSION,
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
    });
    let failure = '';
    try {
      await runTests(options);
    } catch (e) {
      failure = `VS Code ended with ${e?.message ?? e}`;
    }
    let stats;
    try {
      stats = JSON.parse(readFileSync(options.extensionTestsEnv.FLOWSPEC_E2E_STATS, 'utf8'));
    } catch {
      return report({ passed: 0, failed: 1 }, `the tests did not report${failure ? ` (${failure})` : ''}`);
    }
    return report({ ...stats, failed: stats.failed + (failure && !stats.failed ? 1 : 0) }, failure);
  } finally {
    s3.child.kill();
    if (!process.env.E2E_KEEP) rmSync(root, { recursive: true, force: true });
    else console.log(`kept ${root}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(report({ passed: 0, failed: 1 }, 'runner error'));
    },
  );
}
