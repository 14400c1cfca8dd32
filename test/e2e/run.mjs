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
// Builds nothing (`npm test` builds first). Writes {"passed":N,"failed":M} to $TEST_STATS_FILE,
// prints `N passed, N failed` and exits non-zero on any failure.
// Env: E2E_GREP (mocha grep), E2E_KEEP=1 (keep the temp folder), RUN_TIMEOUT_MS, E2E_HEADED=1.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { createRequire } from 'node:module';
import { UiDriver } from './ui.mjs';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const CS = process.env.CS_BIN || join(REPO, '.e2e/vscode-host/node_modules/.bin/code-server');
const SUITE = join(REPO, 'dist/e2e/suite.js');
const SHOTS = join(REPO, 'test-output/screenshots');
const t0 = Date.now();
const log = (...a) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

function report(passed, failed, why) {
  if (why) console.log(`e2e: ${why}`);
  if (process.env.TEST_STATS_FILE) writeFileSync(process.env.TEST_STATS_FILE, JSON.stringify({ passed, failed }));
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

for (const [what, p] of [['code-server (run scripts/setup-e2e.sh)', CS], ['the extension (npm run build)', join(REPO, 'dist/extension.js')], ['the e2e bundle (npm run build)', SUITE]]) {
  if (!existsSync(p)) process.exit(report(0, 1, `missing ${what}: ${p}`));
}

const freePort = () => new Promise((res, rej) => {
  const s = createServer(); s.unref(); s.on('error', rej);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
});

const root = mkdtempSync(join(tmpdir(), 'flowspec-e2e-'));
const workspace = join(root, 'workspace');
cpSync(join(HERE, 'workspace'), workspace, { recursive: true });
mkdirSync(SHOTS, { recursive: true });
const statsFile = join(root, 'stats.json');
const csLog = join(root, 'code-server.log');

const port = await freePort();
let cs; let browser; let uiServer;
async function stop(code) {
  try { await browser?.close(); } catch {}
  // The extension host outlives the browser (reconnection grace): end code-server's whole group.
  try { if (cs) process.kill(-cs.pid, 'SIGKILL'); } catch {}
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
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      let out;
      try { out = { ok: true, value: await ui.handle(JSON.parse(body || '{}')) }; }
      catch (e) { out = { ok: false, error: String(e?.stack || e) }; }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  const uiPort = await new Promise((res) => uiServer.listen(0, '127.0.0.1', () => res(uiServer.address().port)));

  const env = {
    ...process.env,
    HOME: root, XDG_CONFIG_HOME: join(root, 'xdg-config'), XDG_DATA_HOME: join(root, 'xdg-data'), XDG_CACHE_HOME: join(root, 'xdg-cache'),
    FLOWSPEC_E2E_UI: `http://127.0.0.1:${uiPort}`,
    FLOWSPEC_E2E_STATS: statsFile,
    FLOWSPEC_E2E_WORKSPACE: workspace,
    FLOWSPEC_E2E_GREP: process.env.E2E_GREP || '',
  };
  delete env.FLOWSPEC_DATASTORE_ROOT; // runs go to <workspace>/.flowspec like a user's
  delete env.TEST_STATS_FILE;
  cs = spawn(CS, ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--config', join(root, 'config.yaml'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', join(root, 'user'), '--extensions-dir', join(root, 'ext')],
  { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  cs.stdout.on('data', (d) => appendFileSync(csLog, d));
  cs.stderr.on('data', (d) => appendFileSync(csLog, d));
  const exited = new Promise((res) => cs.on('exit', (c) => res(`code-server exited (${c})`)));

  // VS Code settings for the test window: quiet and predictable.
  mkdirSync(join(root, 'user/User'), { recursive: true });
  writeFileSync(join(root, 'user/User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'update.mode': 'none',
    'security.workspace.trust.enabled': false, 'workbench.colorTheme': 'Default Dark+', 'window.autoDetectColorScheme': true, 'workbench.preferredDarkColorTheme': 'Default Dark+',
    'typescript.validate.enable': false, 'typescript.suggest.enabled': false, 'editor.minimap.enabled': false,
    'window.commandCenter': false, 'chat.commandCenter.enabled': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden',
  }, null, 2));

  const ready = async (deadline) => {
    while (Date.now() < deadline) {
      const ok = await new Promise((res) => http.get(`http://127.0.0.1:${port}/healthz`, (r) => { r.resume(); res(r.statusCode === 200); }).on('error', () => res(false)));
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('code-server did not come up in 60s; see ' + csLog);
  };
  await ready(Date.now() + 60000);
  log('code-server up on port', port);

  const { chromium } = require('playwright-core');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: !process.env.E2E_HEADED,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
  ui.page = page;
  const done = new Promise((resolveDone) => {
    // The workbench's console, minus the noise of a workbench with no network (open-vsx lookups,
    // socket set-up chatter).
    const noise = /open-vsx\.org|^\s+at |connection token|Creating a socket|Service Worker|builtin extensions cache|ChatSessionStore/;
    page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...args);
      if (!noise.test(line.split('\n')[0])) console.log(line.split('\n').filter((l) => !noise.test(l)).join('\n'));
    });
    page.exposeFunction('codeAutomationExit', (code) => resolveDone(code));
  });
  const auth = `127.0.0.1:${port}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://${auth}${REPO}`],
    ['extensionTestsPath', `vscode-remote://${auth}${SUITE}`],
  ]);
  await page.goto(`http://${auth}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  log('workbench opening', workspace);
  const limit = +(process.env.RUN_TIMEOUT_MS || 400000);
  const code = await Promise.race([done, exited, new Promise((r) => setTimeout(() => r('timeout'), limit))]);
  log('tests finished:', code);
  if (code !== 0) await page.screenshot({ path: join(SHOTS, 'last-failure.png') }).catch(() => {});

  let stats = null;
  try { stats = JSON.parse(readFileSync(statsFile, 'utf8')); } catch {}
  if (!stats) {
    try { console.log(readFileSync(csLog, 'utf8').split('\n').slice(-40).join('\n')); } catch {}
    await stop(report(0, 1, `the tests did not report (${code})`));
  }
  const failed = stats.failed + (code === 0 || stats.failed ? 0 : 1);
  await stop(report(stats.passed, failed, code === 0 ? '' : `exit: ${code}`));
} catch (e) {
  console.error(e);
  await stop(report(0, 1, 'runner error'));
}
