import { FlowSpec, step, Parameter, Inputs } from 'flowspec';
import { existsSync } from 'node:fs';

/** Says hello on two branches and joins them. */
export class HelloFlow extends FlowSpec {
  greeting = Parameter('greeting', { help: 'What to say', default: 'hello' });
  times = Parameter('times', { help: 'How many times', default: 2 });
  loud = Parameter('loud', { help: 'Shout it', default: false });

  /** Prepares the words. */
  @step start() {
    this.words = Array.from({ length: this.times }, () => this.greeting);
    this.meta = new Map<string, unknown>([['created', new Date(0)], ['tags', new Set(['a', 'b'])]]);
    this.next(this.left, this.right);
  }

  @step left() {
    this.side = 'left';
    console.log(`left says ${this.words.join(' ')}`);
    this.next(this.join);
  }

  @step right() {
    // The e2e suite creates fail.flag to make this step fail, then resumes the run.
    if (existsSync('fail.flag')) throw new Error('fail.flag is present');
    this.side = 'right';
    this.next(this.join);
  }

  @step join(inputs: Inputs) {
    this.sides = [...inputs].map((i) => i.side);
    this.words = inputs.left.words;
    this.next(this.end);
  }

  @step end() {
    this.message = this.loud ? this.words.join(' ').toUpperCase() : this.words.join(' ');
    console.log(this.message);
  }
}
