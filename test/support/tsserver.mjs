// A minimal client of TypeScript's tsserver (the process VS Code's TypeScript support talks to),
// for checking what the editor would report on a file: open it, ask for its diagnostics. Used by
// test/client/tsPlugin.test.ts and the .vsix check (test/e2e/package-check.mjs).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Starts tsserver; with `pluginProbeLocation`, loads the extension's plugin from there the way
 * VS Code does for `contributes.typescriptServerPlugins` (--globalPlugins + --pluginProbeLocations).
 */
export function startTsServer({ pluginProbeLocation, tsserver = require.resolve('typescript/lib/tsserver.js') } = {}) {
  const args = [tsserver, '--disableAutomaticTypingAcquisition', '--locale', 'en', '--suppressDiagnosticEvents'];
  if (pluginProbeLocation) args.push('--globalPlugins', 'flowspec-ts-plugin', '--pluginProbeLocations', pluginProbeLocation);
  const proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = new Map();
  let seq = 0;
  let buf = Buffer.alloc(0);
  proc.stdout.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const m = /Content-Length: (\d+)\r\n\r\n/.exec(buf.toString('latin1'));
      if (!m) return;
      const start = m.index + m[0].length;
      const end = start + Number(m[1]);
      if (buf.length < end) return;
      const msg = JSON.parse(buf.subarray(start, end).toString('utf8'));
      buf = buf.subarray(end);
      if (msg.type === 'response' && pending.has(msg.request_seq)) {
        const { resolve, reject } = pending.get(msg.request_seq);
        pending.delete(msg.request_seq);
        msg.success ? resolve(msg.body) : reject(new Error(`tsserver ${msg.command}: ${msg.message}`));
      }
    }
  });
  const request = (command, args) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      proc.stdin.write(`${JSON.stringify({ seq: id, type: 'request', command, arguments: args })}\n`);
    });
  return {
    /** Every syntactic and semantic diagnostic of `file`, as `TS<code> <line>: <text>` lines. */
    async diagnostics(file, projectRootPath) {
      await request('updateOpen', { openFiles: [{ file, projectRootPath }] });
      const syntactic = await request('syntacticDiagnosticsSync', { file, includeLinePosition: true });
      const semantic = await request('semanticDiagnosticsSync', { file, includeLinePosition: true });
      await request('updateOpen', { closedFiles: [file] });
      return [...syntactic, ...semantic].map((d) => `TS${d.code} ${d.startLocation.line}: ${d.message}`);
    },
    /** Go to definition at a 1-based line and offset of `file`: each definition as `<file>:<line>`. */
    async definitions(file, projectRootPath, line, offset) {
      await request('updateOpen', { openFiles: [{ file, projectRootPath }] });
      const body = await request('definitionAndBoundSpan', { file, line, offset });
      await request('updateOpen', { closedFiles: [file] });
      return body.definitions.map((d) => `${d.file}:${d.start.line}`);
    },
    /** Whether TypeScript would rename at a 1-based line and offset of `file`, and if not why. */
    async renameInfo(file, projectRootPath, line, offset) {
      await request('updateOpen', { openFiles: [{ file, projectRootPath }] });
      const body = await request('rename', { file, line, offset });
      await request('updateOpen', { closedFiles: [file] });
      return { canRename: body.info.canRename, message: body.info.localizedErrorMessage };
    },
    stop: () => proc.kill('SIGKILL'),
  };
}
