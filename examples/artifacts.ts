import { FlowSpec, step } from 'flowspec';

/** Artifacts of every kind the datastore round-trips: plain data, Map, Set, Date, BigInt, typed arrays, Buffer. */
export class ArtifactFlow extends FlowSpec {
  @step start() {
    this.plain = { name: 'flowspec', tags: ['a', 'b'], nested: { n: 1 } };
    this.map = new Map([['one', 1], ['two', 2]]);
    this.set = new Set(['x', 'y']);
    this.when = new Date('2026-01-02T03:04:05.000Z');
    this.big = 12345678901234567890n;
    this.floats = new Float64Array([1.5, 2.5]);
    this.bytes = Buffer.from('binary data');
    this.pattern = /flow(spec)?/gi;
    this.next(this.end);
  }

  @step end() {
    console.log(`map has ${this.map.size} entries, set has ${this.set.size}, big is ${this.big}`);
  }
}
