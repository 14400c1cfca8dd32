import { FlowSpec, step } from 'flowspec';

export class BrokenFlow extends FlowSpec {
  @step start() {
    this.x = 1;
    this.next(this.middle);
  }

  @step middle() {
    this.next(this.nowhere);
  }

  @step end() {}
}
