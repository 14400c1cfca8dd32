import { FlowSpec, Inputs, step } from 'flowspec';

/** A foreach: one task per title, in parallel, joined in order. */
export class ForeachFlow extends FlowSpec {
  @step start() {
    this.titles = ['Stranger Things', 'House of Cards', 'Narcos'];
    this.next(this.process, { foreach: 'titles' });
  }

  /** Runs once per title; `this.input` is the title, `this.index` its position. */
  @step process() {
    this.title = `${this.input.toUpperCase()} (#${this.index})`;
    this.next(this.join);
  }

  @step join(inputs: Inputs<this>) {
    this.results = [...inputs].map((input) => input.title);
    this.next(this.end);
  }

  @step end() {
    console.log(this.results.join('\n'));
  }
}
