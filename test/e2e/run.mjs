// The end-to-end suite: the extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3,
// installed by scripts/setup-e2e.sh into .e2e/), opened in headless Chromium by playwright-core.
//
// Two halves talk to each other:
//  - the mocha tests (test/e2e/suite, bundled to dist/e2e/suite.js by `npm run build`) run inside
//    VS Code's extension host and check things through the VS Code API;
//  - this script owns the browser. When a test needs to know what a person sees (CodeLens text,
//    Problems rows, tree rows, the graph webview) or wants a screenshot, it asks this script over
//    a small HTTP endpoint on 127.0.0.1 (see ui.mjs) and asserts on the answer.
// So every check, DOM or API, is one mocha test and the counts come from one place.
//
// Builds nothing (`npm test` builds first). Writes {"passed":N,"failed":M,"skipped":K,"skipReasons":{...}}
// to $TEST_STATS_FILE, prints the totals line and exits non-zero on any failure.
// Env: E2E_GREP (mocha grep), E2E_KEEP=1 (keep the temp folder), RUN_TIMEOUT_MS, E2E_HEADED=1.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { createRequire } from 'node:module';
import { CODE_SERVER as CS, REPO, freePort, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { UiDriver } from './ui.mjs';
import { checkPackage } from './package-check.mjs';
import { totalsLine } from '../support/totals.mjs';
import { copyWorkspace, startS3, WINDOW_SETTINGS } from './testWindow.mjs';

const require = createRequire(import.meta.url);
const SUITE = join(REPO, 'dist/e2e/suite.js');
const SHOTS = join(REPO, 'test-output/screenshots');
const t0 = Date.now();
const log = (...a) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

function report(passed, failed, why, skipped = 0, skipReasons = {}) {
  if (why) console.log(`e2e: ${why}`);
  const totals = { passed, failed, skipped, skipReasons };
  if (process.env.TEST_STATS_FILE) writeFileSync(process.env.TEST_STATS_FILE, JSON.stringify(totals));
  console.log(totalsLine(totals));
  return failed ? 1 : 0;
}

for (const [what, p] of [
  ['code-server (run scripts/setup-e2e.sh)', CS],
  ['the extension (npm run build)', join(REPO, 'dist/extension.js')],
  ['the e2e bundle (npm run build)', SUITE],
]) {
  if (!existsSync(p)) process.exit(report(0, 1, `missing ${what}: ${p}`));
}

const root = mkdtempSync(join(tmpdir(), 'flowspec-e2e-'));
const workspace = copyWorkspace(root);
mkdirSync(SHOTS, { recursive: true });
// Failure screenshots of an earlier run would mislead.
for (const f of readdirSync(SHOTS)) if (/^(failed-|last-failure)/.test(f)) rmSync(join(SHOTS, f));
const statsFile = join(root, 'stats.json');

// The packaged extension first (skipped when running a subset with E2E_GREP).
const pkg = process.env.E2E_GREP ? { passed: 0, failed: 0 } : await checkPackage(log);

const port = await freePort();
let cs;
let browser;
let uiServer;
let s3;
async function stop(code) {
  try {
    await browser?.close();
  } catch {}
  cs?.stop();
  s3?.child.kill();
  uiServer?.close();
  if (!process.env.E2E_KEEP) rmSync(root, { recursive: true, force: true });
  else log('kept', root);
  process.exit(code);
}

try {
  const ui = new UiDriver({ shots: SHOTS, log });
  // The endpoint the in-VS Code tests use to ask for DOM checks and screenshots.
  uiServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', async () => {
      let out;
      try {
        out = { ok: true, value: await ui.handle(JSON.parse(body || '{}')) };
      } catch (e) {
        out = { ok: false, error: String(e?.stack || e) };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  const uiPort = await new Promise((res) => uiServer.listen(0, '127.0.0.1', () => res(uiServer.address().port)));

  s3 = await startS3(root);
  const env = {
    ...s3.env,
    FLOWSPEC_E2E_UI: `http://127.0.0.1:${uiPort}`,
    FLOWSPEC_E2E_STATS: statsFile,
    FLOWSPEC_E2E_WORKSPACE: workspace,
    FLOWSPEC_E2E_GREP: process.env.E2E_GREP || '',
    // Runs go to <workspace>/.flowspec, like a user's.
    FLOWSPEC_DATASTORE_ROOT: '',
    TEST_STATS_FILE: '',
  };
  cs = await startCodeServer({ port, home: root, env, settings: WINDOW_SETTINGS });
  const exited = cs.exited;
  log('code-server up on port', port);

  const { chromium } = require('playwright-core');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: !process.env.E2E_HEADED,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1400, height: 900 },
    colorScheme: 'dark',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  ui.page = page;
  const done = new Promise((resolveDone) => {
    // The workbench's console, minus the noise of a workbench with no network (open-vsx lookups,
    // socket set-up chatter).
    const noise = /open-vsx\.org|^\s+at |connection token|Creating a socket|Service Worker|builtin extensions cache|ChatSessionStore/;
    page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...args);
      if (!noise.test(line.split('\n')[0]))
        console.log(
          line
            .split('\n')
            .filter((l) => !noise.test(l))
            .join('\n'),
        );
    });
    page.exposeFunction('codeAutomationExit', (code) => resolveDone(code));
  });
  await page.goto(workbenchUrl(port, workspace, { testsPath: SUITE }));
  log('workbench opening', workspace);
  const limit = +(process.env.RUN_TIMEOUT_MS || 400000);
  const code = await Promise.race([done, exited, new Promise((r) => setTimeout(() => r('timeout'), limit))]);
  log('tests finished:', code);
  if (code !== 0) await page.screenshot({ path: join(SHOTS, 'last-failure.png') }).catch(() => {});

  let stats = null;
  try {
    stats = JSON.parse(readFileSync(statsFile, 'utf8'));
  } catch {}
  if (!stats) {
    try {
      console.log(readFileSync(cs.log, 'utf8').split('\n').slice(-40).join('\n'));
    } catch {}
    await stop(report(pkg.passed, pkg.failed + 1, `the tests did not report (${code})`));
  }
  const failed = stats.failed + (code === 0 || stats.failed ? 0 : 1);
  await stop(report(stats.passed + pkg.passed, failed + pkg.failed, code === 0 ? '' : `exit: ${code}`, stats.skipped, stats.skipReasons));
} catch (e) {
  console.error(e);
  await stop(report(pkg.passed, pkg.failed + 1, 'runner error'));
}
