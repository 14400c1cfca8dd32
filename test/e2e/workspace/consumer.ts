import { FlowSpec, step, Parameter } from 'flowspec';

/** Doubles a total, typically an artifact of an earlier ProducerFlow run (a params-file ref). */
export class ConsumerFlow extends FlowSpec {
  total = Parameter('total', { type: Number, required: true, help: 'The total to double' });
  note = Parameter('note', { help: 'A note to print', default: 'none' });

  @step start() {
    this.doubled = this.total * 2;
    this.next(this.end);
  }

  @step end() {
    console.log(`doubled ${this.doubled} (${this.note})`);
  }
}
