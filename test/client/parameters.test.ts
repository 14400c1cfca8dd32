import * as assert from 'node:assert';
import {
  ConfigInfo,
  ParameterInfo,
  configArgs,
  configFileChoices,
  defaultToText,
  describeParameter,
  missingRequired,
  parameterArgs,
  parseParameterText,
  splitAnswers,
  summarizeTexts,
  textsFromRun,
  validateParameterText,
} from '../../client/parameters';
import { Parameter, ParameterDeclaration, parseParameterValue } from '../../runtime/flow/parameters';

const num: ParameterInfo = { name: 'alpha', type: 'number', required: false, default: 0.01, help: 'Learning rate' };
const int: ParameterInfo = { name: 'n', type: 'int', required: false, default: 5 };
const bool: ParameterInfo = { name: 'loud', type: 'boolean', required: false, default: false };
const json: ParameterInfo = { name: 'cfg', type: 'json', required: false, default: '{"a":1}' };
const str: ParameterInfo = { name: 'name', type: 'string', required: true };
const strDef: ParameterInfo = { name: 'greeting', type: 'string', required: false, default: 'hi' };

describe('parameters: validation as the user types', () => {
  it('accepts numbers in every JavaScript spelling and rejects the rest', () => {
    for (const ok of ['1', '-2.5', '1e-3', ' 42 ', '0x10']) assert.strictEqual(validateParameterText(num, ok), undefined, ok);
    assert.match(validateParameterText(num, 'abc')!, /not a number/);
    assert.match(validateParameterText(num, '1,5')!, /not a number/);
    assert.match(validateParameterText(num, 'Infinity')!, /not a number/);
  });
  it('accepts only integers for an Int parameter: no fraction, exponent or hex', () => {
    for (const ok of ['5', '-3', ' +12 ', '9007199254740991']) assert.strictEqual(validateParameterText(int, ok), undefined, ok);
    for (const bad of ['2.5', '1e2', '0x10', '5.0', 'abc', '9007199254740993'])
      assert.strictEqual(validateParameterText(int, bad), `'${bad}' is not an integer`, bad);
    assert.strictEqual(parseParameterText(int, ' -3 '), -3);
  });
  it('accepts true/false/yes/no/1/0 for booleans, case-insensitively', () => {
    for (const ok of ['true', 'False', 'YES', 'no', '1', '0']) assert.strictEqual(validateParameterText(bool, ok), undefined, ok);
    assert.match(validateParameterText(bool, 'maybe')!, /not a boolean/);
    assert.strictEqual(parseParameterText(bool, 'Yes'), true);
    assert.strictEqual(parseParameterText(bool, 'off'), false);
  });
  it('accepts what the runtime accepts: the prompt and `flowspec run --PARAM` share one parser', () => {
    for (const [info, text] of [
      [bool, 'y'],
      [bool, 'N'],
      [num, ' 0x10 '],
      [int, '-42'],
      [json, '[1, {"b": null}]'],
    ] as const) {
      const decl: ParameterDeclaration = { ...(Parameter(info.name) as ParameterDeclaration), type: info.type };
      assert.deepStrictEqual(parseParameterText(info, text), parseParameterValue(decl, text), `${info.type} ${text}`);
    }
  });
  it('parses JSON and reports where it is broken', () => {
    assert.deepStrictEqual(parseParameterText(json, '{"a": [1, 2]}'), { a: [1, 2] });
    assert.match(validateParameterText(json, '{a: 1}')!, /not valid JSON/);
  });
  it('lets an empty answer mean the default, except for a required parameter without one', () => {
    assert.strictEqual(validateParameterText(num, ''), undefined);
    assert.strictEqual(validateParameterText(strDef, '  '), undefined);
    assert.match(validateParameterText(str, '')!, /name is required/);
    assert.deepStrictEqual(missingRequired([num, str], {}), [str]);
    assert.deepStrictEqual(missingRequired([num, str], { name: 'x' }), []);
  });
  it('keeps strings verbatim', () => {
    assert.strictEqual(parseParameterText(strDef, ' two words '), ' two words ');
  });
});

describe('parameters: display and CLI arguments', () => {
  it('shows type, default and help', () => {
    assert.strictEqual(describeParameter(num), 'number, default 0.01 — Learning rate');
    assert.strictEqual(describeParameter(str), 'string, required');
  });
  it('shows a JSON default written as a JSON string as the JSON itself', () => {
    assert.strictEqual(defaultToText(json), '{"a":1}');
    // Once, as JSON: not the JSON of a string (`default "{\"a\":1}"`).
    assert.strictEqual(describeParameter(json), 'json, default {"a":1}');
    assert.strictEqual(defaultToText(num), '0.01');
    assert.strictEqual(defaultToText(str), '');
  });
  it('turns typed texts into --name value pairs, normalising numbers, booleans and JSON', () => {
    assert.deepStrictEqual(
      parameterArgs([num, bool, json, str, strDef], { alpha: ' 0.5 ', loud: 'YES', cfg: '{ "b" : 2 }', name: 'x y', greeting: '' }),
      ['--alpha', '0.5', '--loud', 'true', '--cfg', '{"b":2}', '--name', 'x y'],
    );
  });
  it('refuses to build arguments from an invalid text', () => {
    assert.throws(() => parameterArgs([num], { alpha: 'x' }), /not a number/);
  });
  it("reuses an earlier run's values for the parameters the flow still declares", () => {
    assert.deepStrictEqual(textsFromRun([num, json, strDef], { alpha: 3, cfg: { a: 2 }, gone: 1, greeting: 'yo' }), {
      alpha: '3',
      cfg: '{"a":2}',
      greeting: 'yo',
    });
  });
  it('summarises values briefly', () => {
    assert.strictEqual(summarizeTexts({ a: '1', b: 'two' }), 'a=1, b=two');
    assert.strictEqual(summarizeTexts({ a: 'x'.repeat(100) }, 10).length, 10);
  });
});

describe('parameters: answers taken from earlier runs (refs)', () => {
  const ref = { ref: 'flows.ProducerFlow.4', value: 'outputs.total', task: 'ProducerFlow/4/end/3', preview: '10' };
  it('a ref answers a required parameter', () => {
    assert.deepStrictEqual(missingRequired([str], { name: ref }), []);
    assert.deepStrictEqual(
      missingRequired([str], { name: '' }).map((p) => p.name),
      ['name'],
    );
  });
  it('is not a command-line argument (it goes to a params file)', () => {
    assert.deepStrictEqual(parameterArgs([num, str], { alpha: '2', name: ref }), ['--alpha', '2']);
  });
  it('splits literal answers from refs, dropping what is only for display', () => {
    assert.deepStrictEqual(splitAnswers({ alpha: '2', name: ref }), {
      texts: { alpha: '2' },
      refs: { name: { ref: 'flows.ProducerFlow.4', value: 'outputs.total' } },
    });
  });
  it('summarises a ref by its run and artifact', () => {
    assert.strictEqual(summarizeTexts({ alpha: '2', name: ref }), 'alpha=2, name ← ProducerFlow/4 outputs.total');
    assert.strictEqual(summarizeTexts({ name: { ref: 'runs.latest', value: 'train.model' } }), 'name ← runs.latest train.model');
  });
});

describe('config files for the Run prompt', () => {
  const here = [
    'package.json',
    'tsconfig.json',
    'prod.json',
    'config.json',
    'params.yaml',
    'dev.yaml',
    'flow.ts',
    'train.params.json',
    'a.yml',
  ];
  const json: ConfigInfo = { name: 'cfg', defaultFile: 'config.json', format: 'json' };

  it("offers the files of the config's format next to the flow, its default first, never project or params files", () => {
    assert.deepStrictEqual(configFileChoices(json, here), ['config.json', 'prod.json']);
    assert.deepStrictEqual(configFileChoices({ name: 'y', format: 'yaml' }, here), ['a.yml', 'dev.yaml']);
    assert.deepStrictEqual(configFileChoices({ name: 'c', format: 'custom' }, here), ['a.yml', 'config.json', 'dev.yaml', 'prod.json']);
  });

  it('gives --config only for a file other than the default, as the CLI finds it', () => {
    const yaml: ConfigInfo = { name: 'y', format: 'yaml' };
    assert.deepStrictEqual(
      configArgs([json, yaml], { cfg: 'config.json', y: 'dev.yaml' }, (f) => `flows/${f}`),
      ['--config', 'y', 'flows/dev.yaml'],
    );
    assert.deepStrictEqual(
      configArgs([json], { cfg: 'prod.json' }, (f) => f),
      ['--config', 'cfg', 'prod.json'],
    );
    assert.deepStrictEqual(
      configArgs([json], {}, (f) => f),
      [],
    );
  });
});
