import { FlowSpec, card, current, step } from 'flowspec';
import { Image, LineChart, Markdown, ProgressBar, Table } from 'flowspec/cards';
import { existsSync } from 'node:fs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAHElEQVR42mNk+M9Qz0AEYBxVSF+FDKMKRxUCAHMBD/FzvkQ+AAAAAElFTkSuQmCC', 'base64');

/** A card with Markdown, a table, an image and a Vega-Lite line chart, updated live. */
export class CardsFlow extends FlowSpec {
  @card({ type: 'blank', options: { title: 'Training report' } })
  @step async start() {
    const loss = new LineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss' });
    const progress = new ProgressBar({ max: 20, label: 'epochs' });
    current.card.extend([new Markdown('# Training\nA **tiny** model, plotted live.'), progress, loss]);
    for (let epoch = 1; epoch <= 20; epoch++) {
      loss.add(epoch, 1 / epoch);
      progress.update(epoch);
      current.card.refresh();
      // The e2e suite holds the task here (running, its card live) until it creates cards.release.
      if (epoch === 10) for (let i = 0; i < 600 && !existsSync('cards.release'); i++) await new Promise((r) => setTimeout(r, 100));
    }
    current.card.append(new Table([['cat', 0.92, 'cat'], ['dog', 0.71, 'fox'], ['owl', 0.64, 'owl']], { headers: ['image', 'score', 'predicted'] }));
    current.card.append(new Image(PNG, { label: 'a sample' }));
    current.card.refresh();
    this.next(this.end);
  }

  @step end() {}
}
