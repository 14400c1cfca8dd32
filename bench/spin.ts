// Spin's figures (not a test): the wall time of `flowspec spin FILE STEP` on a trivial step (the
// file unchanged, then edited before each spin, so it is bundled anew), with --no-persist, and the
// editor's path as the Spin command takes it, without VS Code's own drawing: the spin process kept
// ready since the last spin (client/spin/standby.ts) given the spin's arguments, then the datastore
// reader's `spin` snapshot the Spin view shows; and the first spin of a window, whose process starts
// on the click. Medians and worst of 7, with the CPU time of this process and its children.
// Run: npm run bench:spin
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliInvocation } from '../client/config';
import { DatastoreReader } from '../client/reader/proxy';
import { SpinStandby, startSpin } from '../client/spin/standby';
import { figure, type Goal, median } from './support/figure';

const CLI = resolve(__dirname, '../dist/cli.js');
const TIMES = 7;
/** Between two spins in the editor: the person edits the step. */
const THINK_MS = 2000;

const FLOW = `import { FlowSpec, step } from 'flowspec';
export class SpinBench extends FlowSpec {
  @step start() { this.base = 10; this.next(this.train); }
  @step train() { this.score = this.base * 1; console.log('score', this.score); this.next(this.end); }
  @step end() {}
}`;

function cli(dir: string, root: string, args: string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return performance.now() - started;
}

function figures(name: string, ms: number[], goal?: Goal, cpuMs?: number): void {
  const cpu = cpuMs === undefined ? '' : `, ${cpuMs.toFixed(0)} ms CPU each`;
  figure(`${name}, median`, median(ms), 'ms', goal, `worst ${Math.max(...ms).toFixed(0)} ms${cpu}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-bench-spin-'));
  const root = join(dir, '.flowspec');
  const file = join(dir, 'flow.ts');
  writeFileSync(join(dir, 'package.json'), '{ "name": "bench", "private": true }');
  writeFileSync(file, FLOW);
  cli(dir, root, ['run', file]);
  const edit = (i: number) => writeFileSync(file, readFileSync(file, 'utf8').replace(/this\.base \* \d+/, `this.base * ${i + 2}`));

  figures(
    'flowspec run (3 trivial steps), for scale',
    Array.from({ length: 3 }, () => cli(dir, root, ['run', file])),
  );
  figures(
    'flowspec spin, file unchanged',
    Array.from({ length: TIMES }, () => cli(dir, root, ['spin', file, 'train'])),
  );
  figures(
    'flowspec spin, file edited before each',
    Array.from({ length: TIMES }, (_, i) => {
      edit(i);
      return cli(dir, root, ['spin', file, 'train']);
    }),
  );
  figures(
    'flowspec spin --no-persist',
    Array.from({ length: TIMES }, () => cli(dir, root, ['spin', file, 'train', '--no-persist'])),
  );

  // The editor's path: the reader's worker already started, as after the first request of a session.
  const reader = new DatastoreReader();
  await reader.request('flows', [root], 1);
  const standby = new SpinStandby();
  const inv: CliInvocation = {
    command: process.execPath,
    args: [CLI, '__spin-standby'],
    cwd: dir,
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
  };
  const idFile = join(dir, 'spin-id');
  const editorSpin = async (): Promise<number> => {
    const started = performance.now();
    const { child } = standby.take(inv, 0);
    child.stdout!.resume();
    child.stderr!.resume();
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    startSpin(child, [file, 'train', '--flow', 'SpinBench', '--run-id-file', idFile]);
    if ((await exited) !== 0) throw new Error('the spin failed');
    const spin = await reader.request('spin', root, 'SpinBench', readFileSync(idFile, 'utf8'));
    if (!spin) throw new Error('no spin snapshot');
    return performance.now() - started;
  };
  const cold: number[] = [];
  const warm: number[] = [];
  const cpu = { cold: 0, warm: 0 };
  for (let i = 0; i < TIMES; i++) {
    edit(i + TIMES);
    let before = cpuMs();
    cold.push(await editorSpin());
    cpu.cold += cpuMs() - before;
    // As after a spin in the editor: the next one's process starts once the result is shown, and
    // the person edits the step before the next click (here: 2 s later).
    standby.prepare(inv, 0);
    await new Promise((resolve) => setTimeout(resolve, THINK_MS));
    edit(i + 2 * TIMES);
    before = cpuMs();
    warm.push(await editorSpin());
    cpu.warm += cpuMs() - before;
  }
  figures('editor path: kept spin process + snapshot, edited', warm, { atMost: 500 }, cpu.warm / TIMES);
  figures('editor path, first spin of a window, edited', cold, undefined, cpu.cold / TIMES);
  standby.dispose();
  reader.dispose();
}

/** CPU time of this process and of the children it waited for, in ms (the spin processes and their workers). */
function cpuMs(): number {
  const self = process.cpuUsage();
  const children = resourceUsage();
  return (self.user + self.system + children.user + children.system) / 1000;
}

/**
 * User and system time of the children this process waited for, in µs: cutime and cstime of
 * /proc/self/stat (fields 16 and 17, in clock ticks of 10 ms). A spin process counts once it ended,
 * with its worker: its start-up is in the figure of the spin it ran.
 */
function resourceUsage(): { user: number; system: number } {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return { user: Number(fields[13]) * 10_000, system: Number(fields[14]) * 10_000 };
}

void main();
