// Card figures (not a test). Run: npm run bench:cards
//  1. In process: what a card with a 1,000-point line chart costs a task (append + store), median.
//  2. Through the CLI: a foreach of 100 tasks with and without @card (the same 1,000-point chart
//     in each), compared by the tasks' own recorded durations, and the stored bytes per card.
//  3. Reading back: which of those 100 tasks have cards, one card's data, all of them (client API),
//     and drawing one card in headless Chromium.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CardSession } from '../runtime/cards/session';
import { LineChart } from '../runtime/cards/components';
import { LocalDatastore } from '../runtime/datastore/local';
import type { RunRecord, TaskRecord } from '../runtime/datastore/records';
import { Flow } from '../runtime/client';
import { renderOffline } from '../test/cards/browser';
import { figure, median } from './support/figure';

const CLI = resolve(__dirname, '../dist/cli.js');
const points = Array.from({ length: 1000 }, (_, i) => Math.exp(-i / 200) + Math.sin(i / 10) * 0.05);

function inProcess(): void {
  const store = new LocalDatastore(mkdtempSync(join(tmpdir(), 'flowspec-bench-cards-')));
  const run = { parameters: {}, graph: { start: { kind: 'end', targets: [] } } } as unknown as RunRecord;
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const task = { flow: 'Bench', runId: '1', step: 'start', taskId: String(i) };
    const t0 = performance.now();
    const session = new CardSession(store, task, [{ type: 'blank' }], new Date().toISOString());
    session.api.append(new LineChart({ y: points, title: 'loss' }));
    session.finish(
      {
        ...task,
        attempt: 0,
        status: 'success',
        startedAt: '',
        finishedAt: new Date().toISOString(),
        pid: 0,
        inputPaths: [],
        stack: [],
        artifacts: {},
      } as TaskRecord,
      run,
    );
    times.push(performance.now() - t0);
  }
  figure(
    'a card with a 1,000-point LineChart, append + store, in process',
    median(times.slice(5)),
    'ms',
    undefined,
    'median of 45 after 5 warm-up',
  );
}

const FLOW = (withCard: boolean) => `import { FlowSpec, Inputs, card, current, step } from 'flowspec';
import { LineChart } from 'flowspec/cards';
const points = Array.from({ length: 1000 }, (_, i) => Math.exp(-i / 200) + Math.sin(i / 10) * 0.05);
export class CardBench extends FlowSpec {
  @step start() { this.items = Array.from({ length: 100 }, (_, i) => i); this.next(this.work, { foreach: 'items' }); }
  ${withCard ? "@card({ type: 'blank' })" : ''}
  @step work() { ${withCard ? "current.card.append(new LineChart({ y: points, title: 'loss' }));" : 'void points;'} this.next(this.join); }
  @step join(inputs: Inputs) { this.next(this.end); }
  @step end() {}
}`;

function throughCli(withCard: boolean): { root: string; perTask: number } {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-bench-cards-flow-'));
  writeFileSync(join(dir, 'package.json'), '{"private":true}');
  writeFileSync(join(dir, 'flow.ts'), FLOW(withCard));
  const root = join(dir, '.flowspec');
  const r = spawnSync(process.execPath, [CLI, 'run', 'flow.ts', '--max-workers', '2'], {
    cwd: dir,
    env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  const tasks = new Flow('CardBench', { root }).run(1).step('work').tasks();
  const perTask = median(tasks.map((t) => t.finishedAt!.getTime() - t.startedAt!.getTime()));
  return { root, perTask };
}

function cardBytes(root: string): number {
  const dir = join(root, 'CardBench/runs/1/steps/work');
  const task = readdirSync(dir)[0];
  return readdirSync(join(dir, task, 'cards')).reduce((sum, f) => sum + statSync(join(dir, task, 'cards', f)).size, 0);
}

inProcess();
const without = throughCli(false);
const withCards = throughCli(true);
figure(
  'median task of a foreach of 100 with a 1,000-point chart card',
  withCards.perTask,
  'ms',
  undefined,
  `${without.perTask} ms without`,
);
figure(
  'stored per card (data + page)',
  cardBytes(withCards.root) / 1024,
  'KB',
  undefined,
  `the shared viewer once per datastore: ${(statSync(join(withCards.root, '.cards', readdirSync(join(withCards.root, '.cards'))[0])).size / 1024).toFixed(0)} KB`,
);
const tasks = new Flow('CardBench', { root: withCards.root }).run(1).step('work').tasks();
let t0 = performance.now();
const flagged = tasks.filter((t) => t.hasCards).length;
figure(
  `which of the foreach's ${tasks.length} tasks have cards (Runs view, graph badge)`,
  performance.now() - t0,
  'ms',
  undefined,
  `${flagged} have`,
);
t0 = performance.now();
const one = tasks[50].cards[0].data;
figure(`reading one card's data to open it (${one.components.length} component)`, performance.now() - t0, 'ms');
t0 = performance.now();
const all = tasks.flatMap((t) => t.cards.map((c) => c.data));
figure(`reading all ${all.length} cards' data`, performance.now() - t0, 'ms');
void (async () => {
  const started = performance.now();
  const pages = await renderOffline([`file://${tasks[50].cards[0].localPath}`]);
  if (pages) figure('drawing that card (1,000-point chart) in headless Chromium, launch included', performance.now() - started, 'ms');
})();
