// `run --inspect`: a debugger attached to the run stops inside a step, in a script with a source map;
// so does one attached to `flowspec spin` (the editor's Debug Spin: the CLI under --inspect-brk).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { CLI, FLOWS, freshRoot, REPO, runCli, startCli } from '../support/cli';
import { waitFor } from '../support/wait';

describe('debugging', () => {
  it('run --inspect waits for a debugger, which then pauses inside the step', async () => {
    const root = freshRoot();
    // Port 0: the inspector takes a free port and says which on stderr.
    const run = startCli(['run', join(FLOWS, 'debugged.ts'), '--inspect=0'], root);
    await pausesInStart(run.errors);
    assert.equal(await run.exited, 0);
    assert.equal(new Flow('DebuggedFlow', { root }).latestRun!.data.value, 42);
  });

  it('a debugger attached to flowspec spin pauses inside the spun step (the task runs in its process)', async () => {
    const root = freshRoot();
    assert.equal(runCli(['run', join(FLOWS, 'debugged.ts')], root).code, 0);
    const spin = spawn(process.execPath, ['--inspect-brk=0', CLI, 'spin', join(FLOWS, 'debugged.ts'), 'start'], {
      cwd: REPO,
      env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    spin.stderr.on('data', (d) => {
      errors += d;
    });
    const exited = new Promise((resolve) => spin.on('exit', resolve));
    await pausesInStart(() => errors);
    assert.equal(await exited, 0, errors);
    assert.equal(new Flow('DebuggedFlow', { root }).latestSpin('start')!.data.value, 42);
  });
});

/** Attaches a debugger to the inspector that `errors` announces; it must pause at the debugger statement in start. */
async function pausesInStart(errors: () => string): Promise<void> {
  const url = await waitFor('the inspector to listen', () => /Debugger listening on (ws:\/\/\S+)/.exec(errors())?.[1]);
  const client = spawn(process.execPath, ['--experimental-websocket', '--no-warnings', join(REPO, 'test/support/cdp-pause.mjs'), url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  client.stdout.on('data', (d) => {
    out += d;
  });
  assert.equal(await new Promise((resolve) => client.on('exit', resolve)), 0);
  const pause = JSON.parse(out.trim());
  assert.equal(pause.reason, 'other', 'paused at the debugger statement');
  assert.match(pause.functionName, /start/);
  assert.match(pause.url, /\.code\/[0-9a-f]+\/flow\.js$/);
  assert.equal(pause.hasSourceMap, true, 'the code package maps back to the .ts file');
}
