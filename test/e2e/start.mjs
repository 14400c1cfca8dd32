// `npm start`: serves examples/ in a browser-based VS Code (code-server, the one the e2e suite
// uses) with the extension loaded from this repo, and prints the URL. `npm start` builds first.
// Options: --port N (default 8080, or $PORT), --folder DIR (default examples/). Ctrl+C stops it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CODE_SERVER, REPO, startCodeServer, workbenchUrl } from './codeServer.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const port = Number(arg('port', process.env.PORT || 8080));
const folder = resolve(arg('folder', join(REPO, 'examples')));

if (!existsSync(CODE_SERVER)) {
  console.log('code-server is not installed yet: running scripts/setup-e2e.sh (about a minute, ~300 MB into .e2e/)…');
  const r = spawnSync('bash', [join(REPO, 'scripts/setup-e2e.sh')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!existsSync(join(REPO, 'dist/extension.js'))) {
  console.error('dist/extension.js is missing: run `npm run build` (npm start does it for you).');
  process.exit(1);
}

// A profile kept between sessions (settings, open editors), in the gitignored .e2e/ folder.
const home = join(REPO, '.e2e/start-profile');
const cs = await startCodeServer({
  port,
  home,
  settings: {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
  },
}).catch((e) => {
  console.error(String(e.message ?? e));
  process.exit(1);
});
const url = workbenchUrl(port, folder);
console.log(
  `\nFlowSpec in VS Code (code-server ${'4.100.3'}), serving ${folder}\n\n  ${url}\n\nOpen that URL in a browser (the extension is loaded from ${REPO}; rebuild with \`npm run build\` and reload the page to pick up changes).\nLogs: ${cs.log}\nCtrl+C to stop.`,
);
const stop = () => {
  cs.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
console.log(await cs.exited);
process.exit(1);
