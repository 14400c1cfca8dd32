// Checks of the packaged extension (the .vsix `npm run package` makes), run by run.mjs before the
// VS Code suite: what is inside, and that its CLI and language server work on their own — in a
// folder with no node_modules, with nothing installed globally.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO } from './codeServer.mjs';
import { startTsServer } from '../support/tsserver.mjs';

const require = createRequire(import.meta.url);

function unzip(file, into) {
  const yauzl = require('yauzl');
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names = [];
      zip.on('entry', (entry) => {
        const out = join(into, entry.fileName);
        names.push(entry.fileName);
        if (entry.fileName.endsWith('/')) {
          zip.readEntry();
          return;
        }
        mkdirSync(dirname(out), { recursive: true });
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const mode = (entry.externalFileAttributes >>> 16) & 0o777;
          stream.pipe(createWriteStream(out)).on('close', () => {
            if (mode) chmodSync(out, mode);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(names));
      zip.readEntry();
    });
  });
}

/** One LSP round trip: initialize → its result. */
function lspInitialize(serverJs, cwd) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [serverJs, '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error('no initialize response in 20 s'));
    }, 20000);
    let buf = Buffer.alloc(0);
    p.stdout.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const m = /Content-Length: (\d+)\r\n\r\n/.exec(buf.toString('latin1'));
      if (!m) return;
      const start = m.index + m[0].length;
      if (buf.length < start + Number(m[1])) return;
      clearTimeout(timer);
      p.kill('SIGKILL');
      resolve(JSON.parse(buf.subarray(start, start + Number(m[1])).toString('utf8')));
    });
    p.on('error', reject);
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: process.pid, rootUri: null, capabilities: {} },
    });
    p.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

export async function checkPackage(log) {
  const results = [];
  const test = async (name, fn) => {
    try {
      await fn();
      results.push({ name, ok: true });
      log(`  ✔ ${name}`);
    } catch (e) {
      results.push({ name, ok: false });
      log(
        `  ✘ ${name}\n    ${String(e?.stack ?? e)
          .split('\n')
          .slice(0, 6)
          .join('\n    ')}`,
      );
    }
  };
  const tmp = mkdtempSync(join(tmpdir(), 'flowspec-vsix-'));
  const vsix = join(tmp, 'flowspec.vsix');
  const x = join(tmp, 'x');
  let names = [];
  log('the packaged extension (.vsix)');
  await test('npm run package makes a .vsix offline', async () => {
    const r = spawnSync(process.execPath, [join(REPO, 'client/scripts/package.mjs'), vsix], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(vsix)) throw new Error(`package.mjs exit ${r.status}: ${(r.stderr || r.stdout).slice(-800)}`);
    names = await unzip(vsix, x);
  });
  await test('it holds the bundles, the grammar, the icons and esbuild — no sources, maps or tests', async () => {
    for (const f of [
      'extension/package.json',
      'extension/readme.md',
      'extension/dist/extension.js',
      'extension/dist/server.js',
      'extension/dist/cli.js',
      'extension/dist/analysis.js',
      'extension/dist/analysis.stamp',
      'extension/dist/cliMain.js',
      'extension/dist/cliMain.stamp',
      'extension/dist/webview/graph.js',
      'extension/dist/cards/viewer.js',
      'extension/syntaxes/flowspec-log.tmLanguage.json',
      'extension/client/media/icon.png',
      'extension/node_modules/esbuild/lib/main.js',
      'extension/dist/tsPlugin.js',
      'extension/node_modules/flowspec-ts-plugin/index.js',
      'extension/dist/types/runtime/index.d.ts',
      'extension/dist/types/runtime/client/index.d.ts',
      'extension/node_modules/@types/node/index.d.ts',
      'extension/node_modules/undici-types/index.d.ts',
    ]) {
      if (!names.includes(f)) throw new Error(`missing ${f}`);
    }
    const bad = names.filter(
      (n) =>
        (/\.(ts|map)$/.test(n) && !n.endsWith('.d.ts')) ||
        /^extension\/(test|runtime|server|examples)\//.test(n) ||
        (n.startsWith('extension/client/') && !n.startsWith('extension/client/media/')),
    );
    if (bad.length) throw new Error(`should not ship: ${bad.slice(0, 5).join(', ')}`);
  });
  await test('its CLI runs a flow in a folder with no node_modules', async () => {
    const ws = join(tmp, 'ws');
    mkdirSync(ws);
    cpSync(join(REPO, 'test/e2e/workspace/hello.ts'), join(ws, 'hello.ts'));
    const env = { ...process.env, NODE_PATH: '', FLOWSPEC_DATASTORE_ROOT: '' };
    const r = spawnSync(process.execPath, [join(x, 'extension/dist/cli.js'), 'run', 'hello.ts', '--flow', 'HelloFlow', '--times', '1'], {
      cwd: ws,
      env,
      encoding: 'utf8',
      timeout: 60000,
    });
    if (r.status !== 0 || !/Done! Run HelloFlow\/1 finished/.test(r.stdout))
      throw new Error(`exit ${r.status}\n${r.stdout.slice(-600)}\n${r.stderr.slice(-600)}`);
    if (!readdirSync(join(ws, '.flowspec')).includes('HelloFlow')) throw new Error('no run in .flowspec');
  });
  await test('its TypeScript plugin leaves a flow in a folder with no node_modules without problems', async () => {
    const ws = join(tmp, 'types');
    mkdirSync(ws);
    cpSync(join(REPO, 'test/e2e/workspace/hello.ts'), join(ws, 'hello.ts'));
    writeFileSync(
      join(ws, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'preserve', strict: true, noEmit: true } }),
    );
    const server = startTsServer({ pluginProbeLocation: join(x, 'extension') });
    try {
      const diags = await server.diagnostics(join(ws, 'hello.ts'), ws);
      if (diags.length) throw new Error(diags.join('\n'));
    } finally {
      server.stop();
    }
  });
  await test('its language server starts on its own and answers initialize', async () => {
    const res = await lspInitialize(join(x, 'extension/dist/server.js'), tmp);
    if (!res.result?.capabilities) throw new Error(JSON.stringify(res).slice(0, 400));
  });
  rmSync(tmp, { recursive: true, force: true });
  return { passed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
}
