import { FlowSpec, Parameter, card, current, step } from 'flowspec';
import { Image, LineChart, Markdown, ProgressBar, Table } from 'flowspec/cards';

/**
 * Cards: a tiny training loop (a line fitted by gradient descent) that plots its loss live,
 * then a table of its predictions and an image. `flowspec card view CardsFlow/<run>/train`
 * opens the card; in the editor, the task in the Runs view has it as a child.
 */
export class CardsFlow extends FlowSpec {
  epochs = Parameter('epochs', { help: 'Passes over the data', default: 80 });
  rate = Parameter('rate', { help: 'Learning rate', default: 0.01 });

  /** Points on y = 3x + 1, with a little noise. */
  @card()
  @step start() {
    this.points = Array.from({ length: 20 }, (_, i) => {
      const x = i / 4;
      return { x, y: 3 * x + 1 + Math.sin(i * 7) * 0.3 };
    });
    this.next(this.train);
  }

  @card({ type: 'blank', options: { title: 'Training' } })
  @step train() {
    const points: Array<{ x: number; y: number }> = this.points;
    const loss = new LineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'mean squared error' });
    const progress = new ProgressBar({ max: this.epochs, label: 'epochs' });
    current.card.extend([new Markdown(`# Fitting y = a·x + b\nLearning rate **${this.rate}**, ${this.epochs} epochs.`), progress, loss]);
    let a = 0, b = 0;
    for (let epoch = 1; epoch <= this.epochs; epoch++) {
      let da = 0, db = 0, mse = 0;
      for (const { x, y } of points) {
        const error = a * x + b - y;
        da += error * x; db += error; mse += error * error;
      }
      const n = points.length;
      a -= (this.rate * 2 * da) / n;
      b -= (this.rate * 2 * db) / n;
      loss.add(epoch, mse / n);
      progress.update(epoch);
      current.card.refresh(); // stored at most once a second: viewers of the running task follow it
      busyWait(20); // a real step would be computing here
    }
    this.model = { a, b };
    this.losses = loss.y;
    const rows = points.slice(0, 8).map(({ x, y }) => [x, y.toFixed(2), (a * x + b).toFixed(2), (a * x + b - y).toFixed(3)]);
    current.card.append(new Markdown(`## Predictions\nModel: y = **${a.toFixed(3)}**·x + **${b.toFixed(3)}**`));
    current.card.append(new Table(rows, { headers: ['x', 'y', 'predicted', 'error'] }));
    current.card.append(Image.fromSvg(scatterSvg(points, a, b), { label: 'The data and the fitted line' }));
    this.next(this.end);
  }

  @step end() {
    console.log(`fitted y = ${this.model.a.toFixed(2)}x + ${this.model.b.toFixed(2)}; final loss ${this.losses[this.losses.length - 1].toFixed(4)}`);
  }
}

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* computing */ }
}

/** The points and the fitted line as a small SVG picture. */
function scatterSvg(points: Array<{ x: number; y: number }>, a: number, b: number): string {
  const W = 320, H = 200, maxX = Math.max(...points.map((p) => p.x)), maxY = Math.max(...points.map((p) => p.y));
  const sx = (x: number) => 20 + (x / maxX) * (W - 40);
  const sy = (y: number) => H - 20 - (y / maxY) * (H - 40);
  const dots = points.map((p) => `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="#4c78a8"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`
    + `<rect width="${W}" height="${H}" fill="#fff"/>${dots}`
    + `<line x1="${sx(0)}" y1="${sy(b)}" x2="${sx(maxX)}" y2="${sy(a * maxX + b)}" stroke="#e45756" stroke-width="2"/></svg>`;
}
