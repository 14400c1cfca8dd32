// examples/cards.ts end to end: the training card holds the live-plotted loss, the table of
// predictions and the image.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Flow } from 'flowspec/client';
import { EXAMPLES, freshRoot, runCli } from '../support/cli';

describe('examples/cards.ts', () => {
  it('trains, plots its loss, and shows predictions and a picture on its card', () => {
    const root = freshRoot();
    const r = runCli(['run', join(EXAMPLES, 'cards.ts'), '--epochs', '30'], root);
    assert.equal(r.code, 0, r.stderr);
    const run = new Flow('CardsFlow', { root }).latestRun!;
    const [card] = run.step('train').task!.cards;
    assert.equal(card.data.title, 'Training');
    assert.deepEqual(
      card.data.components.map((c) => c.type),
      ['markdown', 'progress', 'vega', 'markdown', 'table', 'image'],
    );
    const [, progress, loss, , table, image] = card.data.components as Array<Record<string, any>>;
    assert.deepEqual(progress, { type: 'progress', value: 30, max: 30, label: 'epochs' });
    assert.equal(loss.spec.data.values.length, 30);
    assert.deepEqual(
      loss.spec.data.values.map((v: { y: number }) => v.y),
      run.step('train').task!.data.losses,
    );
    assert.deepEqual(table.headers, ['x', 'y', 'predicted', 'error']);
    assert.equal(table.rows.length, 8);
    assert.equal(image.mime, 'image/svg+xml');
    assert.equal(run.step('start').task!.cards[0].type, 'default');
  });
});
