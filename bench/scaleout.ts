// Scale-out figures (not a test): the same flows on a local folder and on an S3-compatible store
// (s3rver on this machine, so network latency is ~0 and the figures are the protocol's and the
// sync bridge's cost), and one `flowspec step` process as an Argo pod would start it.
// Run: npm run bench:scaleout
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startS3Server } from '../test/scaleout/support/s3server';

const CLI = resolve(__dirname, '../dist/cli.js');
const EXAMPLES = resolve(__dirname, '../examples');
const dir = mkdtempSync(join(tmpdir(), 'flowspec-bench-scaleout-'));
writeFileSync(
  join(dir, 'foreach100.ts'),
  `import { FlowSpec, Inputs, step } from 'flowspec';
export class Foreach100 extends FlowSpec {
  @step start() { this.items = Array.from({ length: 100 }, (_, i) => i); this.next(this.work, { foreach: 'items' }); }
  @step work() { this.y = this.input * 2; this.next(this.join); }
  @step join(inputs: Inputs) { this.total = [...inputs].reduce((s, i) => s + i.y, 0); this.next(this.end); }
  @step end() {}
}`,
);

function median(xs: number[]): number {
  return xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

function time(args: string[], env: NodeJS.ProcessEnv, repeat = 3): number {
  const times: number[] = [];
  for (let i = 0; i < repeat + 1; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e9); // the first run warms caches
  }
  return median(times);
}

async function main(): Promise<void> {
  const s3 = await startS3Server();
  try {
    const local = { FLOWSPEC_DATASTORE_ROOT: mkdtempSync(join(tmpdir(), 'flowspec-bench-local-')) };
    const rows: Array<[string, number, number]> = [];
    for (const [label, file] of [
      ['examples/foreach.ts (3 items)', join(EXAMPLES, 'foreach.ts')],
      ['foreach of 100 trivial tasks', join(dir, 'foreach100.ts')],
    ]) {
      rows.push([label, time(['run', file], local), time(['run', file], s3.env(`bench/${label.length}`))]);
    }
    // One task as a pod runs it: a fresh process, `flowspec step` on an existing run.
    const stepOn = (env: NodeJS.ProcessEnv) => {
      spawnSync(process.execPath, [CLI, 'run', join(EXAMPLES, 'linear.ts')], { env: { ...process.env, ...env } });
      return time(
        [
          'step',
          join(EXAMPLES, 'linear.ts'),
          'end',
          '--flow',
          'LinearFlow',
          '--run-id',
          '1',
          '--task-id',
          '99',
          '--input-paths',
          '1/shout/2',
        ],
        env,
        5,
      );
    };
    rows.push([
      'one `flowspec step` process (linear end step)',
      stepOn({ FLOWSPEC_DATASTORE_ROOT: mkdtempSync(join(tmpdir(), 'flowspec-bench-step-')) }),
      stepOn(s3.env('bench/step')),
    ]);
    console.log('| | local folder | S3 (s3rver, same machine) |\n| --- | --- | --- |');
    for (const [label, l, s] of rows) console.log(`| ${label} | ${l.toFixed(2)} s | ${s.toFixed(2)} s |`);
  } finally {
    await s3.close();
  }
}

void main();
