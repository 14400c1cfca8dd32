// `run --inspect`: a debugger attached to the run stops inside a step, in a script with a source map.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { FLOWS, freshRoot, REPO, startCli } from '../support/cli';
import { waitFor } from '../support/wait';

describe('debugging', () => {
  it('run --inspect waits for a debugger, which then pauses inside the step', async () => {
    const root = freshRoot();
    // Port 0: the inspector takes a free port and says which on stderr.
    const run = startCli(['run', join(FLOWS, 'debugged.ts'), '--inspect=0'], root);
    const url = await waitFor('the inspector to listen', () => /Debugger listening on (ws:\/\/\S+)/.exec(run.errors())?.[1]);
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
    assert.equal(await run.exited, 0);
    assert.equal(new Flow('DebuggedFlow', { root }).latestRun!.data.value, 42);
  });
});
