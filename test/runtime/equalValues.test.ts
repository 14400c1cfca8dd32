// Equal artifact values are stored under one hash (runtime/datastore/canonical.ts), however V8 held
// them in memory: a join whose branches compute 2 two ways merges them, a resume too, and values
// stored before hashes were canonical still load.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v8 from 'node:v8';
import { isDeepStrictEqual } from 'node:util';
import { deserializeArtifact, serializeArtifact } from '../../runtime/datastore/artifacts';
import { canonicalBytes } from '../../runtime/datastore/canonical';
import { sha256 } from '../../runtime/datastore/integrity';
import { LocalDatastore } from '../../runtime/datastore/local';
import { keys, TaskRecord } from '../../runtime/datastore/records';
import { Flow } from '../../runtime/client';
import { linesOf, runCli } from '../support/cli';

/** The number 2 as V8 holds a double: read out of an array that also holds a fraction. */
const doubleTwo = (): number => [0.5, 2][1];
/** A join whose branches compute 2 two ways (an integer, a double), merged. */
const TWO_WAYS = `import { FlowSpec, Inputs, step } from 'flowspec';
export class TwoWaysFlow extends FlowSpec {
  @step start() { this.next(this.added, this.divided); }
  @step added() { this.two = 1 + 1; this.next(this.join); }
  @step divided() { this.two = [0.5, 2][1]; this.next(this.join); }
  @step join(inputs: Inputs) {
    if (process.env.FAIL_JOIN) throw new Error('join failed on purpose');
    this.mergeArtifacts(inputs);
    this.next(this.end);
  }
  @step end() { console.log('two is ' + this.two); }
}
`;

const hashOf = (value: unknown) => serializeArtifact('x', value).info.hash;

describe('equal artifact values, one hash', () => {
  it('V8 writes the same value several ways; the stored bytes are one', () => {
    assert.notDeepEqual(v8.serialize(doubleTwo()), v8.serialize(2), 'V8 itself tells them apart (else this test proves nothing)');
    const fraction = { x: 1.5 };
    const sameShape = { x: 2 }; // its field holds doubles since `fraction` had one
    const holey = new Array<unknown>(3);
    holey[0] = 1;
    holey[1] = 'abc';
    holey[2] = { y: 2 };
    const pairs: Array<[string, unknown, unknown]> = [
      ['a double 2', 2, doubleTwo()],
      ['an array holding a fraction', [2, 1.5], [doubleTwo(), 1.5]],
      ['an object field that held a fraction', { x: 2 }, sameShape],
      ['a Latin-1 string held two bytes a character', 'abc', 'é€abc'.slice(2)],
      ['an array filled after new Array(n)', [1, 'abc', { y: 2 }], holey],
      ['a Map key and a Set value', new Map([[2, new Set([2])]]), new Map([[doubleTwo(), new Set([doubleTwo()])]])],
      ['NaN', NaN, 0 / Number('0')],
      ['nested, with shared references', { a: [2], b: 'x' }, { a: [doubleTwo()], b: 'x' }],
    ];
    void fraction;
    for (const [what, a, b] of pairs) {
      assert.equal(hashOf(a), hashOf(b), what);
      assert.ok(isDeepStrictEqual(deserializeArtifact(serializeArtifact('x', b).bytes), a), `${what}: reads back equal`);
    }
  });

  it('values that JavaScript tells apart keep their own hash', () => {
    assert.notEqual(hashOf(0), hashOf(-0));
    assert.notEqual(hashOf({ a: 1, b: 2 }), hashOf({ b: 2, a: 1 }), 'key order is part of an object');
    assert.notEqual(hashOf([1, , 3]), hashOf([1, undefined, 3]), 'a hole is not undefined');
    assert.notEqual(hashOf(2), hashOf('2'));
    assert.notEqual(hashOf(2), hashOf(2n));
    assert.notEqual(hashOf(2 ** 31), hashOf(2 ** 31 - 1));
  });

  it('every value reads back as it was, and its canonical bytes are canonical', () => {
    const leaves = [
      0,
      -0,
      1,
      2.5,
      doubleTwo(),
      -(2 ** 31),
      2 ** 31,
      NaN,
      Infinity,
      'ab',
      'é€ab'.slice(2),
      '€',
      2n ** 80n,
      -3n,
      null,
      undefined,
      true,
    ];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const make = (depth: number): unknown => {
      const r = random(10);
      if (depth > 3 || r < 3) return leaves[random(leaves.length)];
      if (r < 5) {
        const a: unknown[] = random(2) ? [] : new Array(2);
        a.length = 0;
        for (let i = random(4); i > 0; i--) a.push(make(depth + 1));
        if (random(4) === 0) a[a.length + 1] = make(depth + 1); // a hole
        if (random(4) === 0) Object.assign(a, { extra: make(depth + 1) });
        return a;
      }
      if (r === 5) return new Map([[make(depth + 1), make(depth + 1)]]);
      if (r === 6) return new Set([make(depth + 1), make(depth + 1)]);
      if (r === 7) return [Buffer.from('bytes'), new Float64Array([doubleTwo(), 0.5]), new Date(0), /x/g];
      const o: Record<string, unknown> = { [`k${random(3)}`]: make(depth + 1), 7: make(depth + 1) };
      o.self = random(3) ? o.k0 : o; // shared and cyclic references
      return o;
    };
    for (let i = 0; i < 3000; i++) {
      const value = make(0);
      const stored = serializeArtifact('x', value).bytes;
      const back = deserializeArtifact(stored);
      assert.ok(isDeepStrictEqual(back, value), `value ${i} reads back equal`);
      assert.ok(canonicalBytes(v8.serialize(back)).equals(stored), `value ${i}: the value read back has the same bytes`);
    }
  });

  it('a join whose branches compute 2 two ways merges it; so does a resume of it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowspec-equal-'));
    try {
      const file = join(dir, 'two.ts');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'equal-values', private: true }));
      writeFileSync(file, TWO_WAYS);
      const root = join(dir, '.flowspec');
      const run = runCli(['run', file], root, {}, dir);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(linesOf(run.stdout, 'end'), ['two is 2']);

      const failed = runCli(['run', file], root, { FAIL_JOIN: '1' }, dir);
      assert.equal(failed.code, 1);
      const resumed = runCli(['resume', file], root, {}, dir);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stdout, /\/added\/\d+\] Cloned from /);
      assert.deepEqual(linesOf(resumed.stdout, 'end'), ['two is 2']);
      const flow = new Flow('TwoWaysFlow', { root });
      const hashes = ['added', 'divided'].map((s) => flow.latestRun!.step(s).task!.artifacts.two.hash);
      assert.equal(hashes[0], hashes[1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an artifact stored before hashes were canonical still loads, and merges with an equal one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowspec-equal-old-'));
    try {
      const file = join(dir, 'two.ts');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'equal-values-old', private: true }));
      writeFileSync(file, TWO_WAYS);
      const root = join(dir, '.flowspec');
      assert.equal(runCli(['run', file], root, { FAIL_JOIN: '1' }, dir).code, 1);
      // As a run stored before: the branch's 2 in the bytes V8 wrote, named by their sha256.
      const store = new LocalDatastore(root);
      const taskId = new Flow('TwoWaysFlow', { root }).run('1').step('divided').task!.id;
      const key = keys.taskRecord('TwoWaysFlow', '1', 'divided', taskId);
      const record = store.readJson<TaskRecord>(key)!;
      const bytes = v8.serialize(doubleTwo());
      const hash = sha256(bytes);
      assert.notEqual(hash, record.artifacts.two.hash);
      store.putBlob('TwoWaysFlow', hash, bytes);
      store.writeJson(key, { ...record, artifacts: { ...record.artifacts, two: { ...record.artifacts.two, hash, size: bytes.length } } });
      assert.equal(new Flow('TwoWaysFlow', { root }).run('1').step('divided').task!.data.two, 2);

      const resumed = runCli(['resume', file], root, {}, dir);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stdout, /\/divided\/\d+\] Cloned from /);
      assert.deepEqual(linesOf(resumed.stdout, 'end'), ['two is 2']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
