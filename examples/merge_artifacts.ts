import { FlowSpec, Inputs, step } from 'flowspec';

/**
 * mergeArtifacts: artifacts that every branch agrees on pass through the join; the ones the
 * branches set differently must be resolved by the join itself.
 */
export class MergeArtifactsFlow extends FlowSpec {
  @step start() {
    this.shared = 'set before the split';
    this.next(this.a, this.b);
  }

  @step a() {
    this.score = 0.8;
    this.onlyA = 'from a';
    this.next(this.join);
  }

  @step b() {
    this.score = 0.6;
    this.next(this.join);
  }

  @step join(inputs: Inputs<this>) {
    // `score` differs between the branches: pick one before merging the rest.
    this.score = Math.max(...[...inputs].map((input) => input.score));
    this.mergeArtifacts(inputs);
    this.next(this.end);
  }

  @step end() {
    console.log(`shared=${this.shared} score=${this.score} onlyA=${this.onlyA}`);
  }
}
