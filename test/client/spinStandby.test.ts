// The spin process the Spin command keeps ready (client/spin/standby.ts): handed out when it was
// started the same way and still lives, replaced otherwise, and ended when it is not used.
import { strict as assert } from 'node:assert';
import { ChildProcess, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliInvocation } from '../../client/config';
import { SpinStandby, startSpin } from '../../client/spin/standby';
import { CLI } from '../support/cli';
import { waitFor } from '../support/wait';

describe('the standby spin process of the editor', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-standby-'));
  const started: ChildProcess[] = [];
  const standby = new SpinStandby();
  const inv = (cwd = dir): CliInvocation => ({
    command: process.execPath,
    args: [CLI, '__spin-standby'],
    cwd,
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: join(dir, '.flowspec') },
  });
  const take = (i: CliInvocation, epoch: number) => {
    const taken = standby.take(i, epoch);
    started.push(taken.child);
    return taken;
  };
  const ended = (child: ChildProcess) => waitFor(`process ${child.pid} to end`, () => child.exitCode !== null || child.signalCode !== null);
  after(async () => {
    standby.dispose();
    for (const child of started) child.stdin?.end();
    await Promise.all(started.map(ended));
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands out the process it kept when it was started the same way', () => {
    standby.prepare(inv(), 0);
    const first = take(inv(), 0);
    assert.ok(first.keptFor !== undefined && first.keptFor >= 0);
    // Nothing is kept once it was taken: the next one starts now.
    assert.equal(take(inv(), 0).keptFor, undefined);
  });

  it('ends the one it kept and starts another when the folder or the datastore facts changed', async () => {
    standby.prepare(inv(), 0);
    const other = take(inv(tmpdir()), 0);
    assert.equal(other.keptFor, undefined);
    standby.prepare(inv(), 0);
    const newer = take(inv(), 1);
    assert.equal(newer.keptFor, undefined);
    standby.prepare(inv(), 1);
    assert.notEqual(take(inv(), 1).keptFor, undefined);
  });

  it('does not hand out a process that died', async () => {
    const before = standbyPids();
    standby.prepare(inv(), 0);
    const [kept] = standbyPids().filter((pid) => !before.includes(pid));
    process.kill(kept, 'SIGKILL');
    await waitFor('the killed process to be gone', () => !childPids().includes(kept));
    const taken = take(inv(), 0);
    assert.equal(taken.keptFor, undefined);
    assert.notEqual(taken.child.pid, kept);
  });

  it('ends the process it keeps when disposed, and one taken runs the spin it is given', async () => {
    const before = standbyPids();
    standby.prepare(inv(), 0);
    const [kept] = standbyPids().filter((pid) => !before.includes(pid));
    standby.dispose();
    await waitFor('the kept process to end', () => !childPids().includes(kept));
    const { child } = take(inv(), 0);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    startSpin(child, ['missing.ts', 'start']);
    await ended(child);
    assert.equal(child.exitCode, 2);
    assert.equal(stderr, 'flowspec: no such flow file: missing.ts\n');
  });
});

/** The processes this one started that are not yet reaped (a zombie too), with their command lines. */
function children(): Array<{ pid: number; args: string }> {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => ({ pid: Number(l.trim().split(' ')[0]), args: l }));
}

const childPids = () => children().map((c) => c.pid);

/** The standby spin processes this process started and that still run. */
const standbyPids = () =>
  children()
    .filter((c) => c.args.includes('__spin-standby'))
    .map((c) => c.pid);
