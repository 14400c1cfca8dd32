import { FlowSpec, step, Parameter, Inputs } from 'flowspec';

/** A foreach inside a branch, a switch and a loop: every kind of edge the graph draws. */
export class ShapesFlow extends FlowSpec {
  mode = Parameter('mode', { help: 'fast or slow', default: 'fast' });

  @step start() {
    this.items = ['a', 'b', 'c'];
    this.next(this.fanout, this.single);
  }

  @step fanout() { this.next(this.each, { foreach: 'items' }); }

  @step each() { this.upper = String(this.input).toUpperCase(); this.next(this.collect); }

  @step collect(inputs: Inputs) { this.all = [...inputs].map((i) => i.upper); this.next(this.merge); }

  @step single() { this.all = []; this.next(this.merge); }

  @step merge(inputs: Inputs) {
    this.total = [...inputs].reduce((n, i) => n + i.all.length, 0);
    this.route = this.mode;
    this.next({ fast: this.fast, slow: this.slow }, { condition: 'route' });
  }

  @step fast() { this.next(this.end); }

  @step slow() { this.next(this.end); }

  @step end() {}
}
