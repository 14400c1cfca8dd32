import * as assert from 'node:assert';
import { formatArtifactValue, hexdump, isPlainJson } from '../../client/artifactFormat';

describe('artifact values in an editor', () => {
  it('shows plain data as JSON', () => {
    assert.deepStrictEqual(formatArtifactValue({ a: [1, 'x', null, true] }), {
      text: '{\n  "a": [\n    1,\n    "x",\n    null,\n    true\n  ]\n}',
      language: 'json',
    });
    assert.strictEqual(formatArtifactValue('text').text, '"text"');
  });
  it('never shows JSON for what JSON would lose', () => {
    for (const v of [
      new Map([['a', 1]]),
      new Set([1]),
      new Date(0),
      10n,
      undefined,
      NaN,
      -0,
      /x/g,
      [1, , 3],
      { d: new Date(0) },
      Object.create({ x: 1 }),
    ]) {
      assert.ok(!isPlainJson(v), String(v));
    }
    const shared = { a: 1 };
    assert.ok(!isPlainJson([shared, shared]));
  });
  it('shows Map, Set, Date and BigInt readably', () => {
    const { text, language } = formatArtifactValue({ m: new Map([['k', new Set([1, 2])]]), d: new Date(0), n: 12n });
    assert.strictEqual(language, 'plaintext');
    assert.match(text, /Map\(1\) \{ 'k' => Set\(2\) \{ 1, 2 \} \}/);
    assert.match(text, /1970-01-01T00:00:00\.000Z/);
    assert.match(text, /12n/);
  });
  it('shows a Buffer as text and hex', () => {
    const text = formatArtifactValue(Buffer.from('hi\n')).text;
    assert.match(text, /^Buffer \(3 bytes\)/);
    assert.match(text, /As UTF-8 text:\nhi/);
    assert.match(text, /00000000  68 69 0a\s+\|hi\.\|/);
    assert.doesNotMatch(hexdump(new Uint8Array([0, 1, 2])), /UTF-8/);
  });
});
