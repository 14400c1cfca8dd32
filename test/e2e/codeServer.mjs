// Starts code-server (VS Code 1.100 in the browser; installed by scripts/setup-e2e.sh into .e2e/)
// on 127.0.0.1 with auth off, in its own process group, and builds the URL that opens a folder
// with the extension loaded from the repo (extensionDevelopmentPath). Used by the e2e runner and
// by `npm start`.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CODE_SERVER = process.env.CS_BIN || join(REPO, '.e2e/vscode-host/node_modules/.bin/code-server');

export const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

/**
 * Starts code-server. `home` holds its config, user data, extensions and logs (and is HOME for it,
 * so nothing is written to the real home). Resolves once /healthz answers.
 */
export async function startCodeServer({ port, home, env = {}, settings = {}, log = join(home, 'code-server.log') }) {
  if (!existsSync(CODE_SERVER)) throw new Error(`code-server is not installed: run \`bash scripts/setup-e2e.sh\` (${CODE_SERVER})`);
  mkdirSync(join(home, 'user/User'), { recursive: true });
  const settingsFile = join(home, 'user/User/settings.json');
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const proc = spawn(
    CODE_SERVER,
    [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--config',
      join(home, 'config.yaml'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      join(home, 'user'),
      '--extensions-dir',
      join(home, 'ext'),
    ],
    {
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, 'xdg-config'),
        XDG_DATA_HOME: join(home, 'xdg-data'),
        XDG_CACHE_HOME: join(home, 'xdg-cache'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  proc.stdout.on('data', (d) => appendFileSync(log, d));
  proc.stderr.on('data', (d) => appendFileSync(log, d));
  const exited = new Promise((res) => proc.on('exit', (c) => res(`code-server exited (${c}); see ${log}`)));
  const deadline = Date.now() + 60000;
  for (;;) {
    const ok = await new Promise((res) =>
      http
        .get(`http://127.0.0.1:${port}/healthz`, (r) => {
          r.resume();
          res(r.statusCode === 200);
        })
        .on('error', () => res(false)),
    );
    if (ok) break;
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`code-server did not come up; see ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // The extension host outlives the browser (reconnection grace): end the whole group.
  const stop = () => {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  return { proc, exited, stop, log };
}

/** The workbench URL opening `folder` with the repo's extension loaded (and, for tests, a tests module). */
export function workbenchUrl(port, folder, { testsPath } = {}) {
  const auth = `127.0.0.1:${port}`;
  const payload = [['extensionDevelopmentPath', `vscode-remote://${auth}${REPO}`]];
  if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${auth}${testsPath}`]);
  return `http://${auth}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
