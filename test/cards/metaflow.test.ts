// Cards as Metaflow's card tests use them: components by id (`append(c, { id })`, then
// `components[id].update(...)` and `refresh()`), `customize` choosing the card `current.card`
// edits, and the cards of tasks that a resume cloned, readable on the new run.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/client';
import { queries } from '../../client/reader/queries';
import { freshRoot, runCli } from '../support/cli';

const FLOW = `import { FlowSpec, card, current, step } from 'flowspec';
import { Markdown, ProgressBar } from 'flowspec/cards';

export class CardIdsFlow extends FlowSpec {
  @card({ id: 'other' })
  @card({ type: 'blank', customize: true })
  @card({ id: 'third' })
  @step start() {
    current.card.append(new Markdown('first text'), { id: 'md' });
    current.card.append(new ProgressBar({ max: 10 }), { id: 'bar' });
    current.card.refresh();
    current.card.components['md'].update('updated text');
    current.card.components['bar'].update(7);
    current.card.components['extra'] = new Markdown('assigned');
    current.card.components['md'] = new Markdown('replaced text');
    current.card.refresh();
    try {
      current.card.components['nope'].update('x');
    } catch (e) {
      this.missing = (e as Error).message;
    }
    this.next(this.end);
  }

  @step end() {
    if (process.env.CARD_FAIL) throw new Error('end fails the first time');
  }
}
`;

describe('cards as Metaflow has them', () => {
  const dir = freshRoot();
  const root = join(dir, 'store');
  writeFileSync(join(dir, 'package.json'), '{ "name": "card-ids", "private": true }\n');
  writeFileSync(join(dir, 'flow.ts'), FLOW);
  let first: ReturnType<typeof runCli>;
  before(() => {
    first = runCli(['run', 'flow.ts'], root, { CARD_FAIL: '1' }, dir);
  });

  it('components by id: update() then refresh(), assignment replaces in place; customize picks the card current.card edits', () => {
    assert.equal(first.code, 1, 'end fails the first time');
    const task = new Flow('CardIdsFlow', { root }).run('1').step('start').task!;
    const cards = task.cards;
    assert.deepEqual(
      cards.map((c) => [c.id ?? null, c.type]),
      [
        ['other', 'default'],
        [null, 'blank'],
        ['third', 'default'],
      ],
    );
    const customized = cards[1].data.components;
    assert.deepEqual(customized, [
      { type: 'markdown', text: 'replaced text' },
      { type: 'progress', max: 10, value: 7 },
      { type: 'markdown', text: 'assigned' },
    ]);
    assert.match(
      task.data.missing,
      /current\.card\.components\['nope'\] is not a component of the card: append it with current\.card\.append\(component, \{ id: 'nope' \}\) \(ids: md, bar, extra\)/,
    );
    assert.equal(
      cards[0].data.components.filter((c) => c.type === 'markdown' && /text/.test(String(c.text))).length,
      0,
      'the other cards got nothing',
    );
  });

  it("the cards of a task that resume cloned are read on the new run: client API, card list/get, the editor's reader", () => {
    const resumed = runCli(['resume', 'flow.ts'], root, {}, dir);
    assert.equal(resumed.code, 0, resumed.stderr);
    const task = new Flow('CardIdsFlow', { root }).run('2').step('start').task!;
    assert.equal(task.origin?.pathspec, 'CardIdsFlow/1/start/1');
    assert.equal(task.hasCards, true);
    assert.deepEqual(
      task.cards.map((c) => c.data.components.length),
      new Flow('CardIdsFlow', { root })
        .run('1')
        .step('start')
        .task!.cards.map((c) => c.data.components.length),
    );
    const list = runCli(['card', 'list', 'CardIdsFlow/2/start', '--json'], root, {}, dir);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      JSON.parse(list.stdout).map((r: { task: string; index: number }) => [r.task, r.index]),
      [
        ['CardIdsFlow/2/start/1', 0],
        ['CardIdsFlow/2/start/1', 1],
        ['CardIdsFlow/2/start/1', 2],
      ],
    );
    const page = runCli(['card', 'get', 'CardIdsFlow/2/start', '--id', 'other'], root, {}, dir);
    assert.equal(page.code, 0, page.stderr);
    assert.match(page.stdout, /^<!doctype html>/i);
    const data = queries.card({ root, pathspec: 'CardIdsFlow/2/start/1', index: 1 });
    assert.equal(data?.components[0].type, 'markdown');
  });

  it('two cards with customize on one step are one clear error', () => {
    const bad = join(dir, 'bad.ts');
    writeFileSync(bad, FLOW.replace("@card({ id: 'third' })", "@card({ id: 'third', customize: true })"));
    const r = runCli(['run', 'bad.ts'], join(dir, 'bad-store'), {}, dir);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^flowspec: .*only one @card of a step may have customize: true \(it is the card current\.card edits\)\n$/);
  });
});
