import { FlowSpec, step } from 'flowspec';

/** The e2e suite's typed-artifacts flow: TypeScript knows what each artifact holds. */
export class TypedFlow extends FlowSpec {
  @step start() {
    this.playlist = ['intro', 'outro'];
    this.total = `${this.playlist.length} songs`;
    this.next(this.end);
  }

  @step end() {
    console.log(this.playlist.join(', '), this.total.length);
  }
}
