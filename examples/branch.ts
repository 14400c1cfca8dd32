import { FlowSpec, Inputs, Parameter, step } from 'flowspec';

/** A static branch: two steps run in parallel, then a join combines what they computed. */
export class BranchFlow extends FlowSpec {
  alpha = Parameter('alpha', { help: 'Learning rate', default: 0.01 });

  @step start() {
    console.log(`alpha is ${this.alpha}`);
    this.next(this.a, this.b);
  }

  @step a() {
    this.x = 1;
    this.next(this.join);
  }

  @step b() {
    this.x = 2;
    this.next(this.join);
  }

  /** Reads each branch's x through `inputs`. */
  @step join(inputs: Inputs<this>) {
    this.total = [...inputs].reduce((sum, input) => sum + input.x, 0);
    console.log(`a is ${inputs.a.x}, total ${this.total}`);
    this.next(this.end);
  }

  @step end() {
    console.log(`total ${this.total} with alpha ${this.alpha}`);
  }
}
