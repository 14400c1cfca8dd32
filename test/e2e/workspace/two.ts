import { FlowSpec, step } from 'flowspec';

export class FirstFlow extends FlowSpec {
  @step start() { this.next(this.end); }
  @step end() {}
}

export class SecondFlow extends FlowSpec {
  @step start() { this.next(this.end); }
  @step end() {}
}
