import { FlowSpec, step, Parameter } from 'flowspec';

/** Adds 1..n: ConsumerFlow takes the total from one of its runs. */
export class ProducerFlow extends FlowSpec {
  n = Parameter('n', { help: 'Count up to', default: 4 });

  @step start() {
    this.total = (this.n * (this.n + 1)) / 2;
    this.label = `sum of 1..${this.n}`;
    this.next(this.end);
  }

  @step end() {
    console.log(`total ${this.total}`);
  }
}
