// `flowspec/cards` as another project sees it once installed: it resolves through the exports
// map with types, and misuse of the card API is a type error.
import { strict as assert } from 'node:assert';
import { typeCheck } from '../support/tsconfig';

const HEADER = `import { FlowSpec, card, current, step } from 'flowspec';
import { BarChart, Error as CardError, Image, LineChart, Markdown, ProgressBar, Table, VegaChart, getCards } from 'flowspec/cards';
import type { Card, CardData } from 'flowspec/cards';
`;

describe('flowspec/cards types', () => {
  it('a flow using cards type-checks', () => {
    const r = typeCheck(`${HEADER}
export class Typed extends FlowSpec {
  @card({ type: 'blank', id: 'report', timeout: 10 })
  @card()
  @step start() {
    current.card.append(new Markdown('# hi'));
    current.card.report.extend([new Table([[1, new Markdown('x')]], { headers: ['a', 'b'] }), new VegaChart({ mark: 'bar' })]);
    current.card.append(new LineChart({ y: [1, 2] }));
    current.card.append(new BarChart({ labels: ['a'], values: [1] }));
    current.card.append(new ProgressBar({ max: 3 }));
    current.card.append(Image.fromSvg('<svg/>'));
    current.card.append(new CardError('title', 'message'));
    current.card.refresh();
    current.card.clear();
    this.next(this.end);
  }
  @step end() {}
}
const cards: Card[] = getCards('Typed/1/start/1');
const data: CardData = cards[0].data;
const html: string = cards[0].html;
console.log(data.components.length, html.length);
`);
    assert.equal(r.code, 0, r.output);
  });

  it('a wrong card type or a non-component is a type error', () => {
    const r = typeCheck(`${HEADER}
export class Wrong extends FlowSpec {
  @card({ type: 'fancy' })
  @step start() { current.card.append('text'); this.next(this.end); }
  @step end() {}
}
`);
    assert.notEqual(r.code, 0);
    assert.match(r.output, /Type '"fancy"' is not assignable to type '"default" \| "blank" \| undefined'/);
    assert.match(r.output, /Argument of type 'string' is not assignable to parameter of type 'CardComponent'/);
  });
});
