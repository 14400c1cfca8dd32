// What each component stores on a card, and the messages that replace what cannot be shown.
import { strict as assert } from 'node:assert';
import { componentData } from '../../runtime/cards/components';
import {
  Artifact,
  BarChart,
  Error as CardError,
  Image,
  LineChart,
  Markdown,
  MAX_IMAGE_BYTES,
  ProgressBar,
  Table,
  VegaChart,
} from 'flowspec/cards';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('card components', () => {
  it('serialize to plain data', () => {
    assert.deepEqual(componentData(new Markdown('# Hi')), { type: 'markdown', text: '# Hi' });
    assert.deepEqual(
      componentData(
        new Table(
          [
            [1, 'a', null],
            [true, new Markdown('*x*'), new Date(0)],
          ],
          { headers: ['n', 's', 'z'] },
        ),
      ),
      {
        type: 'table',
        headers: ['n', 's', 'z'],
        rows: [
          [
            { type: 'text', text: '1' },
            { type: 'text', text: 'a' },
            { type: 'text', text: '' },
          ],
          [
            { type: 'text', text: 'true' },
            { type: 'markdown', text: '*x*' },
            { type: 'text', text: '1970-01-01T00:00:00.000Z' },
          ],
        ],
      },
    );
    assert.deepEqual(
      componentData(
        Table.fromObjects([
          { a: 1, b: 2 },
          { a: 3, c: 'x' },
        ]),
      ),
      {
        type: 'table',
        headers: ['a', 'b', 'c'],
        rows: [
          [
            { type: 'text', text: '1' },
            { type: 'text', text: '2' },
            { type: 'text', text: '' },
          ],
          [
            { type: 'text', text: '3' },
            { type: 'text', text: '' },
            { type: 'text', text: 'x' },
          ],
        ],
      },
    );
    assert.deepEqual(componentData(new Image(PNG, { label: 'px' })), {
      type: 'image',
      mime: 'image/png',
      base64: PNG.toString('base64'),
      label: 'px',
    });
    assert.equal((componentData(Image.fromSvg('<svg xmlns="x"></svg>')) as { mime: string }).mime, 'image/svg+xml');
    assert.deepEqual(componentData(new ProgressBar({ max: 10, value: 3, label: 'epochs' })), {
      type: 'progress',
      value: 3,
      max: 10,
      label: 'epochs',
    });
    assert.deepEqual(componentData(new Artifact({ a: [1, 2] }, { name: 'x' })), { type: 'artifact', name: 'x', text: '{ a: [ 1, 2 ] }' });
    assert.deepEqual(componentData(new CardError('Oops', 'it broke')), { type: 'error', title: 'Oops', message: 'it broke' });
    const spec = { mark: 'point', data: { values: [{ a: 1 }] } };
    assert.deepEqual(componentData(new VegaChart(spec)), { type: 'vega', spec });
  });

  it('charts are Vega-Lite specs with their data inline, and show their latest state', () => {
    const line = new LineChart({ y: [3, 2], xLabel: 'epoch' });
    line.add(2, 1);
    const data = componentData(line) as {
      type: string;
      spec: { data: { values: unknown[] }; mark: { type: string }; encoding: { x: { title: string } } };
    };
    assert.equal(data.type, 'vega');
    assert.deepEqual(data.spec.data.values, [
      { x: 0, y: 3 },
      { x: 1, y: 2 },
      { x: 2, y: 1 },
    ]);
    assert.equal(data.spec.mark.type, 'line');
    assert.equal(data.spec.encoding.x.title, 'epoch');
    const bars = componentData(new BarChart({ labels: ['a', 'b'], values: [1, 2] })) as unknown as {
      spec: { data: { values: unknown[] }; mark: string };
    };
    assert.equal(bars.spec.mark, 'bar');
    assert.deepEqual(bars.spec.data.values, [
      { label: 'a', value: 1 },
      { label: 'b', value: 2 },
    ]);
    const progress = new ProgressBar({ max: 4 });
    progress.update(4, 'done');
    assert.deepEqual(componentData(progress), { type: 'progress', value: 4, max: 4, label: 'done' });
  });

  it('what cannot be shown becomes an error block that says why', () => {
    assert.match(
      JSON.stringify(componentData({ foo: 1 }, 'component 2 of the card')),
      /Unknown component.*component 2 of the card is an object \(Object\), not a card component/,
    );
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const table = componentData(new Table([[() => 1, circular]], { headers: ['f', 'c'] })) as {
      rows: Array<Array<{ type: string; message: string }>>;
    };
    assert.equal(table.rows[0][0].type, 'error');
    assert.match(table.rows[0][0].message, /cell \[row 0, column 'f'\] is a function/);
    assert.match(table.rows[0][1].message, /cell \[row 0, column 'c'\] cannot be shown: .*circular/i);
    const big = componentData(new Image(Buffer.alloc(50 * 1024 * 1024))) as { type: string; title: string; message: string };
    assert.equal(big.type, 'error');
    assert.equal(big.title, 'Image could not be shown');
    assert.match(big.message, /the image is 50\.0 MB, more than a card holds \(10\.0 MB\)/);
    assert.ok(MAX_IMAGE_BYTES < 50 * 1024 * 1024);
    assert.match(JSON.stringify(componentData(new Image(Buffer.from('not an image')))), /not a PNG, JPEG, GIF, WebP or SVG image/);
    assert.match(JSON.stringify(componentData(new VegaChart({ mark: 'bar', data: { url: 'data.csv' } }))), /loads nothing remote/);
  });
});
