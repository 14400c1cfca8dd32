// `run --inspect`: a debugger attached to the run stops inside a step, in a script with a source map.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { FLOWS, freshRoot, REPO, startCli } from '../support/cli';

describe('debugging', () => {
  it('run --inspect waits for a debugger, which then pauses inside the step', async () => {
    const root = freshRoot();
    const port = String(9400 + Math.floor(Math.random() * 500));
    const run = startCli(['run', join(FLOWS, 'debugged.ts'), `--inspect=${port}`], root);
    const client = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', join(REPO, 'test/support/cdp-pause.mjs'), port], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(client.status, 0, client.stderr);
    const pause = JSON.parse(client.stdout.trim());
    assert.equal(pause.reason, 'other', 'paused at the debugger statement');
    assert.match(pause.functionName, /start/);
    assert.match(pause.url, /\.code\/[0-9a-f]+\/flow\.js$/);
    assert.equal(pause.hasSourceMap, true, 'the code package maps back to the .ts file');
    assert.equal(await run.exited, 0);
    assert.equal(new Flow('DebuggedFlow', { root }).latestRun!.data.value, 42);
  });
});
