// A full datastore disk (a small tmpfs): the run ends failed with one clear line, earlier runs stay
// intact, nothing half-written is left. Needs root for `mount -t tmpfs`; skipped, saying why, when
// the mount is refused.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { cli, cliAsync, linearFlow, project } from './support';
import { skipBecause } from '../support/skip';

const SIZE = '8m';

function mountTmpfs(): string | { refused: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return { refused: (r.stderr || r.error?.message || `exit ${r.status}`).trim() };
  return dir;
}

function unmount(dir: string): void {
  spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, rel)).isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

const FLOWS = {
  'big.ts': linearFlow('BigFlow', `this.big = Buffer.alloc(30 * 1024 * 1024, 7);`),
  'many.ts': linearFlow('ManyFlow', `for (let i = 0; i < 50; i++) this['part' + i] = Buffer.alloc(1024 * 1024, i);`),
  'chatty.ts': linearFlow('ChattyFlow', `const line = 'x'.repeat(1023); for (let i = 0; i < 30 * 1024; i++) console.log(line);`),
  'small.ts': linearFlow('SmallFlow', `this.value = 1;`),
};

describe('faults: a full disk', function () {
  let root = '';
  let dir = '';
  before(function () {
    const mounted = mountTmpfs();
    if (typeof mounted !== 'string') {
      skipBecause(this, `cannot mount a small tmpfs to fill (${mounted.refused}); run as root to test a full disk`);
    }
    root = mounted as string;
    dir = project(FLOWS);
  });
  after(() => {
    if (root) unmount(root);
  });

  /** One run of `file` on the full disk, checking what every such run must show. */
  function runOnFullDisk(file: string, flow: string, what: RegExp) {
    const before = filesUnder(root).filter((f) => f.startsWith('SmallFlow/'));
    const r = cli(['run', file], root, dir);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`no space left on the datastore at ${root} while writing ${what.source}`));
    assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, r.stderr);
    assert.ok(r.stderr.split('\n').length < 12, `no error spam:\n${r.stderr}`);
    assert.deepEqual(
      filesUnder(root).filter((f) => f.startsWith('SmallFlow/')),
      before,
      'earlier runs intact',
    );
    assert.deepEqual(
      filesUnder(root).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary files left',
    );
    const runs = new Flow(flow, { root }).runs();
    for (const run of runs) assert.notEqual(run.status, 'running');
    return { r, runs };
  }

  it('an earlier run is made on the small disk', () => {
    assert.equal(cli(['run', 'small.ts'], root, dir).code, 0);
  });

  it('a 30 MiB artifact: the task and the run are recorded failed, naming the artifact', () => {
    const { runs } = runOnFullDisk('big.ts', 'BigFlow', /artifact 'big'/);
    assert.equal(runs[0].status, 'failed');
    assert.match(runs[0].step('work').task!.exception!.message, /no space left on the datastore .* while writing artifact 'big'/);
  });

  it('fifty 1 MiB artifacts: the run is recorded failed', () => {
    const { runs } = runOnFullDisk('many.ts', 'ManyFlow', /artifact 'part\d+'/);
    assert.equal(runs[0].status, 'failed');
  });

  it('30 MiB of log output: the output is not stored past the full disk, it says so, and the run is recorded failed', async () => {
    // Not through spawnSync: its output buffer would stop the run at 1 MB.
    const r = await cliAsync(['run', 'chatty.ts'], root, dir);
    assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, r.stderr);
    assert.match(r.stdout + r.stderr, /no space left on the datastore at .*: the rest of this task's output is not stored/);
    // The room the run kept on the disk holds its end, so it does not read as crashed.
    assert.equal(r.code, 1);
    assert.equal(new Flow('ChattyFlow', { root }).latestRun!.status, 'failed', r.stderr);
    assert.deepEqual(
      filesUnder(root).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('a new run on a full disk: one line, exit 1, no run created', () => {
    // Fill what is left.
    try {
      writeFileSync(join(root, 'filler'), Buffer.alloc(16 * 1024 * 1024));
    } catch {
      /* full */
    }
    const before = new Flow('SmallFlow', { root }).runs().length;
    const r = cli(['run', 'small.ts'], root, dir);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^flowspec: no space left on the datastore at ${root} while writing`));
    assert.equal(new Flow('SmallFlow', { root }).runs().length, before);
    assert.equal(new Flow('SmallFlow', { root }).run(1).data.value, 1);
  });
});
