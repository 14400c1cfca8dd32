// Spin's figures (not a test): the wall time of `flowspec spin FILE STEP` on a trivial step (the
// file unchanged, then edited before each spin, so it is bundled anew), with --no-persist, and the
// editor's path without VS Code's own drawing: the CLI spin, then the datastore reader's `spin`
// snapshot the Spin view shows (what the Spin CodeLens waits for). Medians and worst of 7.
// Run: npm run bench:spin
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatastoreReader } from '../client/reader/proxy';
import { figure, type Goal, median } from './support/figure';

const CLI = resolve(__dirname, '../dist/cli.js');
const TIMES = 7;

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

function figures(name: string, ms: number[], goal?: Goal): void {
  figure(`${name}, median`, median(ms), 'ms', goal, `worst ${Math.max(...ms).toFixed(0)} ms`);
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

  // The editor's path: the CLI spin, then the reader's snapshot (its worker already started, as
  // after the first request of a session).
  const reader = new DatastoreReader();
  await reader.request('flows', [root], 1);
  const editor: number[] = [];
  for (let i = 0; i < TIMES; i++) {
    edit(i + TIMES);
    const idFile = join(dir, 'spin-id');
    const started = performance.now();
    cli(dir, root, ['spin', file, 'train', '--run-id-file', idFile]);
    const spin = await reader.request('spin', root, 'SpinBench', readFileSync(idFile, 'utf8'));
    if (!spin) throw new Error('no spin snapshot');
    editor.push(performance.now() - started);
  }
  figures('editor path: CLI spin + reader snapshot (edited file)', editor, { atMost: 500 });
  reader.dispose();
}

void main();
