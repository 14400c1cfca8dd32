// A flow with @card run in a folder of its own: what each task stores, what the default card
// shows, that card problems never fail a task, and how the cards read back (client API, CLI,
// the card server, a browser without network).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flow } from 'flowspec/client';
import { getCards } from 'flowspec/cards';
import type { CardData, ComponentData } from 'flowspec/cards';
import { CLI, freshRoot, runCli } from '../support/cli';
import { renderOffline } from './browser';
import { skipBecause } from '../support/skip';

const FLOW = `
import { FlowSpec, Inputs, Parameter, card, current, step } from 'flowspec';
import { Image, Markdown, ProgressBar, Table, getCards } from 'flowspec/cards';

export class CardsFlow extends FlowSpec {
  rate = Parameter('rate', { default: 0.1 });

  @card()
  @step start() {
    this.losses = [0.9, 0.5, 0.3];
    this.predictions = [{ label: 'cat', score: 0.9 }, { label: 'dog', score: 0.2 }];
    this.items = [1, 2, 3];
    console.log('starting with rate', this.rate);
    this.next(this.train, { foreach: 'items' });
  }

  @card({ type: 'blank', id: 'report' })
  @step train() {
    const progress = new ProgressBar({ max: 2, label: 'epochs' });
    current.card.report.append(new Markdown('# Item ' + this.input));
    current.card.append(progress);
    progress.update(1);
    current.card.refresh();
    this.seen = getCards(current.pathspec)[0].data.status;
    progress.update(2);
    this.next(this.join);
  }

  @step join(inputs: Inputs) { this.next(this.broken); }

  @card({ type: 'blank' })
  @step broken() {
    current.card.append({ not: 'a component' } as any);
    current.card.append(new Table([[() => 1, 'ok']], { headers: ['f', 'g'] }));
    current.card.append(new Image(Buffer.alloc(50 * 1024 * 1024)));
    current.card.append(new Markdown('still here'));
    this.next(this.end);
  }

  @step end() {}
}
`;

const sectionsOf = (data: CardData) =>
  data.components.filter((c): c is Extract<ComponentData, { type: 'section' }> => c.type === 'section');

describe('a flow with cards', function () {
  let root: string;
  let project: string;
  let run: ReturnType<Flow['run']>;

  before(function () {
    project = mkdtempSync(join(tmpdir(), 'flowspec-cards-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'cards-project', private: true }));
    writeFileSync(join(project, 'flow.ts'), FLOW);
    root = freshRoot();
    const r = runCli(['run', 'flow.ts'], root, {}, project);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    run = new Flow('CardsFlow', { root }).run(1);
  });

  it('stores a card (data and page) per task of a step with @card, and none for the others', () => {
    const start = run.step('start').task!;
    assert.deepEqual(
      start.cards.map((c) => [c.index, c.type, c.id]),
      [[0, 'default', undefined]],
    );
    const trains = run.step('train').tasks();
    assert.equal(trains.length, 3);
    for (const task of trains) {
      assert.deepEqual(
        task.cards.map((c) => [c.type, c.id]),
        [['blank', 'report']],
      );
      const path = task.cards[0].localPath!;
      assert.ok(existsSync(path) && existsSync(path.replace(/\.html$/, '.json')), path);
    }
    assert.deepEqual(run.step('join').task!.cards, []);
    assert.deepEqual(run.step('end').task!.cards, []);
  });

  it('the step fills its card: current.card and current.card[id] reach it, refresh() stores it while the task runs', () => {
    for (const task of run.step('train').tasks()) {
      const data = task.cards[0].data;
      assert.equal(data.status, 'final');
      assert.deepEqual(data.components, [
        { type: 'markdown', text: `# Item ${[1, 2, 3][task.index!]}` },
        { type: 'progress', value: 2, max: 2, label: 'epochs' },
      ]);
      assert.equal(task.data.seen, 'running');
    }
  });

  it('the default card shows the task, its parameters, artifacts as charts and tables, the graph and the logs', () => {
    const data = run.step('start').task!.cards[0].data;
    assert.equal(data.title, 'CardsFlow/1/start/1');
    const sections = sectionsOf(data);
    assert.deepEqual(
      sections.map((s) => s.title),
      ['Task', 'Parameters', 'Artifacts', 'Graph', 'Logs'],
    );
    const [task, parameters, artifacts, graph, logs] = sections;
    assert.match(JSON.stringify(task), /"status".*"success"/);
    assert.match(JSON.stringify(parameters), /"rate".*"0.1"/);
    const byTitle = new Map(
      artifacts.components.map((c) => [(c as { title?: string; name?: string }).title ?? (c as { name?: string }).name, c]),
    );
    const losses = byTitle.get('losses (Array(3))') as Extract<ComponentData, { type: 'section' }>;
    assert.equal(losses.components[0].type, 'vega');
    assert.match(JSON.stringify(losses.components[1]), /3 numbers: min 0.3, max 0.9/);
    const predictions = byTitle.get('predictions (Array(2))') as Extract<ComponentData, { type: 'section' }>;
    assert.deepEqual((predictions.components[0] as { headers: string[] }).headers, ['label', 'score']);
    assert.ok(byTitle.has('items (Array(3))'));
    assert.deepEqual(graph.components[0], {
      type: 'graph',
      highlight: 'start',
      steps: [
        { name: 'start', kind: 'foreach', targets: ['train'] },
        { name: 'train', kind: 'linear', targets: ['join'] },
        { name: 'join', kind: 'linear', targets: ['broken'] },
        { name: 'broken', kind: 'linear', targets: ['end'] },
        { name: 'end', kind: 'end', targets: [] },
      ],
    });
    assert.match(JSON.stringify(logs), /starting with rate 0.1/);
  });

  it('card problems become messages on the card; the task succeeds', () => {
    const task = run.step('broken').task!;
    assert.equal(task.successful, true);
    const [unknown, table, image, markdown] = task.cards[0].data.components as Array<Record<string, any>>;
    assert.equal(unknown.type, 'error');
    assert.match(unknown.message, /component 0 of the card is an object \(Object\), not a card component/);
    assert.equal(table.rows[0][0].type, 'error');
    assert.match(table.rows[0][0].message, /cell \[row 0, column 'f'\] is a function/);
    assert.deepEqual(table.rows[0][1], { type: 'text', text: 'ok' });
    assert.equal(image.type, 'error');
    assert.match(image.message, /the image is 50\.0 MB, more than a card holds/);
    assert.deepEqual(markdown, { type: 'markdown', text: 'still here' });
  });

  it('stored pages name no http(s) URL; the viewer is one shared copy in the datastore', () => {
    const pages = run
      .steps()
      .flatMap((s) => s.tasks())
      .flatMap((t) => t.cards)
      .map((c) => readFileSync(c.localPath!, 'utf8'));
    assert.equal(pages.length, 5);
    for (const page of pages) {
      assert.doesNotMatch(page, /https?:\/\//);
      assert.match(page, /<script src="(\.\.\/){7}\.cards\/viewer-[0-9a-f]+\.js"><\/script>/);
    }
    const viewers = readFileSync(
      join(root, '.cards', readFileSync(run.step('start').task!.cards[0].localPath!, 'utf8').match(/viewer-[0-9a-f]+\.js/)![0]),
    );
    assert.ok(viewers.length > 100_000);
  });

  it('getCards reads the same cards as task.cards, by task or pathspec', () => {
    const task = run.step('start').task!;
    const byPathspec = getCards('CardsFlow/1/start/1', { root });
    assert.deepEqual(
      byPathspec.map((c) => c.data),
      task.cards.map((c) => c.data),
    );
    assert.deepEqual(
      getCards(task).map((c) => c.type),
      ['default'],
    );
    assert.match(task.cards[0].html, /<script>[\s\S]*flowspec-card[\s\S]*<\/script>/);
  });

  it('flowspec card list | get | view', () => {
    const list = runCli(['card', 'list', 'CardsFlow/1'], root);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      list.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)),
      [
        ['TASK', 'CARD', 'ID', 'TYPE', 'STATUS'],
        ['CardsFlow/1/start/1', '0', '-', 'default', 'final'],
        ...run
          .step('train')
          .tasks()
          .map((t) => [t.pathspec, '0', 'report', 'blank', 'final']),
        [run.step('broken').task!.pathspec, '0', '-', 'blank', 'final'],
      ],
    );
    const out = join(mkdtempSync(join(tmpdir(), 'flowspec-card-out-')), 'start.html');
    const get = runCli(['card', 'get', 'CardsFlow/1/start', '-o', out], root);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(get.stdout, `Wrote CardsFlow/1/start/1 card 0 to ${out}\n`);
    assert.equal(readFileSync(out, 'utf8'), run.step('start').task!.cards[0].html);
    const train = run.step('train').tasks()[1];
    const byId = runCli(['card', 'get', train.pathspec, '--id', 'report'], root);
    assert.match(byId.stdout, /# Item 2/);
    const ambiguous = runCli(['card', 'get', 'CardsFlow/1/train'], root);
    assert.equal(ambiguous.code, 2);
    assert.equal(
      ambiguous.stderr,
      `flowspec: step CardsFlow/1/train has 3 tasks: name one, e.g. CardsFlow/1/train/${run.step('train').tasks()[0].id} (flowspec card list CardsFlow/1/train lists them)\n`,
    );
    const noCard = runCli(['card', 'get', 'CardsFlow/1/end'], root);
    assert.equal(noCard.code, 2);
    assert.match(noCard.stderr, /^flowspec: task CardsFlow\/1\/end\/\d+ has no cards: add @card\(\) to step 'end'\n$/);
    const badId = runCli(['card', 'get', 'CardsFlow/1/start', '--id', 'nope'], root);
    assert.equal(badId.stderr, "flowspec: task CardsFlow/1/start/1 has no card with id 'nope' (ids: (none))\n");
    const view = runCli(['card', 'view', 'CardsFlow/1/start'], root, { BROWSER: 'none' });
    assert.equal(view.code, 0, view.stderr);
    assert.equal(view.stdout, `${run.step('start').task!.cards[0].localPath}\n`);
    const unknownRun = runCli(['card', 'list', 'CardsFlow/9'], root);
    assert.deepEqual([unknownRun.code, unknownRun.stderr], [2, 'flowspec: no run CardsFlow/9\n']);
  });

  it('a card opens offline in a browser: charts, tables and text drawn, nothing fetched from the network', async function () {
    this.timeout(180_000);
    const stored = run.step('start').task!.cards[0];
    const selfContained = join(mkdtempSync(join(tmpdir(), 'flowspec-card-alone-')), 'card.html');
    writeFileSync(selfContained, stored.html);
    const pages = await renderOffline(
      [`file://${stored.localPath}`, `file://${selfContained}`],
      join(mkdtempSync(join(tmpdir(), 'flowspec-card-shot-')), 'start.png'),
    );
    if (!pages)
      skipBecause(this, 'no Chromium to render cards in (CHROMIUM_PATH, default /usr/bin/chromium; bash scripts/setup-e2e.sh installs it)');
    const [page, alone] = pages;
    assert.deepEqual(page.remoteRequests, []);
    assert.deepEqual(page.errors, []);
    assert.ok(page.charts >= 1, `charts drawn: ${page.charts}`);
    assert.ok(page.tables >= 3, `tables: ${page.tables}`);
    assert.match(page.text, /starting with rate 0\.1/);
    assert.deepEqual(alone.requests, [`file://${selfContained}`]);
    assert.ok(alone.charts >= 1);
  });

  it('flowspec card server lists the runs and serves each card with its data, on 127.0.0.1', async () => {
    const server = spawn(process.execPath, [CLI, 'card', 'server', '--port', '0'], {
      env: { ...process.env, FLOWSPEC_DATASTORE_ROOT: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (d) => {
          out += d;
          const m = /Card server on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) resolve(m[1]);
        });
        server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      const index = await (await fetch(`${base}/`)).text();
      assert.match(index, /<h2>CardsFlow<\/h2>/);
      assert.match(index, /<a href="\/card\/CardsFlow\/1\/start\/1\/0">start\/1<\/a>/);
      const data = await (await fetch(`${base}/data/CardsFlow/1/start/1/0`)).json();
      assert.deepEqual(data, run.step('start').task!.cards[0].data);
      const card = await (await fetch(`${base}/card/CardsFlow/1/start/1/0`)).text();
      assert.match(card, /data-poll="\/data\/CardsFlow\/1\/start\/1\/0"/);
      const viewer = await fetch(`${base}${/src="([^"]+)"/.exec(card)![1]}`);
      assert.equal(viewer.status, 200);
      assert.equal((await fetch(`${base}/card/CardsFlow/1/start/1/7`)).status, 404);
    } finally {
      server.kill();
    }
  });
});
