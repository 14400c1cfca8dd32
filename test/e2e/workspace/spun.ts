import { FlowSpec, step } from 'flowspec';

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
