import { FlowSpec, step, Inputs } from 'flowspec';

/** Two branches that take a minute each: the e2e suite cancels it. */
export class SlowFlow extends FlowSpec {
  @step start() { this.next(this.a, this.b); }

  @step async a() {
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_MS ?? 60000)));
    this.next(this.join);
  }

  @step async b() {
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_MS ?? 60000)));
    this.next(this.join);
  }

  @step join(inputs: Inputs) { this.next(this.end); }

  @step end() {}
}
