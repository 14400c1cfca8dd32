import { FlowSpec, step } from 'flowspec';

/** The smallest flow: three steps in a line, passing an artifact along. */
export class LinearFlow extends FlowSpec {
  /** Sets the greeting. */
  @step start() {
    this.message = 'hello';
    this.next(this.shout);
  }

  /** Makes it louder. */
  @step shout() {
    this.message = `${this.message.toUpperCase()}!`;
    this.next(this.end);
  }

  @step end() {
    console.log(`message: ${this.message}`);
  }
}
