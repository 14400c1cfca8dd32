import * as assert from 'node:assert';
import { parse } from 'yaml';
import type { ParameterInfo } from '../../client/parameters';
import { paramsEntries, paramsFileFor, paramsFileText, refsParamsText } from '../../client/paramsFile';
import { parseParamsDocument } from '../../runtime/params/document';

const total: ParameterInfo = { name: 'total', type: 'number', required: true };
const note: ParameterInfo = { name: 'note', type: 'string', required: false, default: 'none' };
const loud: ParameterInfo = { name: 'loud', type: 'boolean', required: false, default: false };
const cfg: ParameterInfo = { name: 'cfg', type: 'json', required: false, default: {} };
const ref = { ref: 'flows.ProducerFlow.4', value: 'outputs.total', task: 'ProducerFlow/4/end/3', preview: '10' };

describe('params files from the prompt answers', () => {
  it('is named after the flow file, beside it', () => {
    assert.strictEqual(paramsFileFor('/w/flows/consumer.ts'), '/w/flows/consumer.params.yaml');
  });

  it('has one entry per answered parameter: literals typed, refs as ref + value', () => {
    assert.deepStrictEqual(paramsEntries([total, note, loud, cfg], { note: '42', loud: 'yes', cfg: '{"a":[1]}', total: ref }), {
      total: { ref: 'flows.ProducerFlow.4', value: 'outputs.total' },
      note: { value: '42' },
      loud: { value: true },
      cfg: { value: { a: [1] } },
    });
    assert.deepStrictEqual(paramsEntries([total, note], { note: '' }), {}, 'a parameter left at its default has no entry');
  });

  it('starts with the header that names the flow, then YAML the runtime reads back', () => {
    const text = paramsFileText('/w/consumer.ts', 'ConsumerFlow', [total, note], { total: ref, note: '7' });
    assert.strictEqual(text.split('\n')[0], '# flowspec: consumer.ts ConsumerFlow');
    assert.deepStrictEqual(parse(text), { total: { ref: 'flows.ProducerFlow.4', value: 'outputs.total' }, note: { value: '7' } });
    const doc = parseParamsDocument(text);
    assert.deepStrictEqual(doc.problems, []);
    assert.deepStrictEqual([doc.target?.path, doc.target?.name], ['consumer.ts', 'ConsumerFlow']);
    assert.deepStrictEqual(
      doc.entries.map((e) => [e.name, e.ref, e.value]),
      [
        ['total', 'flows.ProducerFlow.4', 'outputs.total'],
        ['note', undefined, '7'],
      ],
    );
  });

  it('writes an empty mapping when every parameter keeps its default', () => {
    const doc = parseParamsDocument(paramsFileText('/w/c.ts', 'C', [note], {}));
    assert.deepStrictEqual([doc.problems, doc.entries], [[], []]);
  });

  it('gives a run only its refs in the temporary file (literals stay on the command line)', () => {
    assert.strictEqual(refsParamsText({ note: 'x' }), undefined);
    assert.deepStrictEqual(JSON.parse(refsParamsText({ note: 'x', total: ref })!), {
      total: { ref: 'flows.ProducerFlow.4', value: 'outputs.total' },
    });
  });
});
