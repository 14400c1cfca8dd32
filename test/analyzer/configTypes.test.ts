// The type a config gets from its default file's value (analyzer/configTypes.ts): widened, arrays
// as T[], objects in an array merged, and no type where one would say more than the file does.
import { strict as assert } from 'node:assert';
import { configValueType } from '../../analyzer/configTypes';

describe('config types from their default files', () => {
  it('widens values and types nested objects and arrays', () => {
    assert.equal(
      configValueType({ cpu: 4, on: true, model: { lr: 0.01, name: 'small', layers: [64, 32] }, tags: ['a'] }),
      '{ cpu: number; on: boolean; model: { lr: number; name: string; layers: number[] }; tags: string[] }',
    );
  });

  it('merges the objects of an array (a key some lack is optional) and unites mixed elements', () => {
    assert.equal(
      configValueType([{ name: 'train', gpus: 1 }, { name: 'eval' }, 'plain', null]),
      '(string | null | { name: string; gpus?: number })[]',
    );
    assert.equal(configValueType([[1], ['a']]), '(number | string)[][]');
  });

  it('leaves open what the file cannot tell: an empty array or object, a key that is no identifier is quoted', () => {
    assert.equal(configValueType({ list: [], map: {}, 'a-b': 1 }), '{ list: any[]; map: { [key: string]: any }; "a-b": number }');
  });

  it('gives no type for an empty YAML file (null), a value JSON cannot hold, or a type too long to be useful', () => {
    assert.equal(configValueType(null), undefined);
    assert.equal(configValueType({ when: new Date(0) }), '{ when: any }');
    const huge = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`key${i}`, i]));
    assert.equal(configValueType(huge), undefined);
  });
});
