import { FlowSpec, step, Inputs } from 'flowspec';

/** The e2e suite's navigation flow: artifacts assigned on a branch and read after joins. */
export class NavFlow extends FlowSpec {
  @step start() {
    this.rows = [1, 2, 3];
    this.next(this.fit, this.check);
  }

  @step fit() {
    this.model = { weights: [0.5, 0.25] };
    this.next(this.join);
  }

  @step check() {
    this.next(this.join);
  }

  @step join(inputs: Inputs) {
    this.model = inputs.fit.model;
    this.mergeArtifacts(inputs, { include: ['rows'] });
    this.next(this.each, { foreach: 'rows' });
  }

  @step each() {
    this.sq = this.input * this.input;
    this.next(this.gather);
  }

  @step gather(inputs: Inputs) {
    this.total = [...inputs].reduce((s, i) => s + i.sq, 0);
    this.mergeArtifacts(inputs, { include: ['model'] });
    this.next(this.end);
  }

  @step end() {
    console.log(this.model.weights, this.total);
  }
}
