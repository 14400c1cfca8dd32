// Process figures (not a test): how soon the workers of a scheduler killed with SIGKILL exit, and
// how soon a run ends after SIGTERM, with two tasks that never end on their own (one busy, one
// asleep); and how long the graph view lays out 200 steps. The fault suite checks that these
// happen (test/faults/processes.test.ts), this measures how fast.
// Run: npm run bench:processes
import { layoutGraph } from '../client/webview/layout';
import { startCli } from '../test/support/cli';
import { waitFor } from '../test/support/wait';
import { alive, ENDLESS, freshRoot, project, workerPids } from '../test/faults/support';
import { figure, median } from './support/figure';

const REPEAT = 3;

/** Starts the endless flow; resolves once both tasks run, with the run and its workers' pids. */
async function endlessRun() {
  const dir = project({ 'flow.ts': ENDLESS });
  const run = startCli(['run', 'flow.ts', '--max-workers', '2'], freshRoot(), { cwd: dir });
  const pids = await waitFor('both tasks to start', () => {
    const started = workerPids(run.output(), ['spin', 'nap']);
    return started.length === 2 && started;
  });
  return { run, pids };
}

async function main(): Promise<void> {
  const orphans: number[] = [];
  const stopped: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const killed = await endlessRun();
    const t0 = performance.now();
    process.kill(killed.run.child.pid!, 'SIGKILL');
    await waitFor('the workers to exit', () => killed.pids.every((p) => !alive(p)), 60_000, 5);
    orphans.push(performance.now() - t0);

    const terminated = await endlessRun();
    const t1 = performance.now();
    terminated.run.child.kill('SIGTERM');
    await terminated.run.exited;
    stopped.push(performance.now() - t1);
    await waitFor('the workers to exit', () => terminated.pids.every((p) => !alive(p)), 60_000, 5);
  }
  figure('workers exit after kill -9 of their scheduler', median(orphans), 'ms', undefined, `median of ${REPEAT}`);
  figure('a run ends after SIGTERM', median(stopped), 'ms', undefined, `median of ${REPEAT}`);

  const steps = Array.from({ length: 200 }, (_, i) => ({ name: `s${i}`, kind: 'linear' as const, decorators: [] }));
  const edges = steps.slice(1).map((s, i) => ({ from: `s${Math.floor(i / 3) * 3}`, to: s.name, kind: 'linear' as const }));
  const times = Array.from({ length: REPEAT }, () => {
    const t = performance.now();
    layoutGraph({ steps, edges, direction: 'TB' });
    return performance.now() - t;
  });
  figure('graph view layout of 200 steps', median(times), 'ms', undefined, `median of ${REPEAT}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
