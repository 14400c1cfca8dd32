import { FlowSpec, Inputs, parallel, step } from 'flowspec';

/** The flow the spin tests run, then spin one step of (train is declared first on purpose: its lenses come first). */
export class SpunFlow extends FlowSpec {
  @step train() {
    this.score = this.base * 1;
    console.log(`score ${this.score}`);
    this.next(this.end);
  }

  @step start() {
    this.base = 10;
    this.next(this.train);
  }

  @step end() {}
}

/** A gang: spin runs one task, so its @parallel step has no Spin lens. */
export class SpunGangFlow extends FlowSpec {
  @step start() {
    this.next(this.train, { numParallel: 2 });
  }

  @parallel
  @step train() {
    this.next(this.join);
  }

  @step join(inputs: Inputs<this>) {
    console.log(`${inputs.length} nodes`);
    this.next(this.end);
  }

  @step end() {}
}
