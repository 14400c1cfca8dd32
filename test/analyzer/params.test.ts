// Params files in the editor: which YAML/JSON files are params files and for which flow (with a
// fake folder), then one fixture per case in test/fixtures/params-diagnostics/ (<file>.expected.json
// next to each params file; UPDATE_FIXTURES=1 rewrites them) against a datastore made by running
// the fixture's TrainFlow with the built CLI, then hover, the quick fix and the ref cache.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, FlowModel } from '../../analyzer';
import {
  analyzeParams,
  associate,
  datastoreRootFor,
  diskHost,
  isParamsFileName,
  PARAMS_CODES,
  ParamsHost,
  paramsHover,
  paramsLanguage,
  RefResolver,
} from '../../server/params';
import { paramsQuickFixes } from '../../server/services/params';
import { parseParamsDocument } from '../../runtime/params/document';
import type { Datastore } from '../../runtime/datastore';
import { LocalDatastore } from '../../runtime/datastore/local';
import { freshRoot, runCli } from '../support/cli';
import { assertGoldenJson } from '../support/golden';

const DIR = join(__dirname, '../fixtures/params-diagnostics');

const flowText = (name: string, params: string[]) => `import { FlowSpec, Parameter, step } from 'flowspec';
export class ${name} extends FlowSpec {
${params.map((p) => `  ${p} = Parameter('${p}', { default: 1 });`).join('\n')}
  @step start() { this.next(this.end); }
  @step end() {}
}
`;

/** A folder of files in memory: path → text. */
function fakeHost(files: Record<string, string>): ParamsHost {
  return {
    listDir: (dir) =>
      Object.keys(files)
        .filter((p) => p.startsWith(dir + '/') && !p.slice(dir.length + 1).includes('/'))
        .map((p) => p.slice(dir.length + 1)),
    flowsOf: (path) => (path in files ? analyzeText(path, files[path], { types: false }).flows : undefined),
    configFile: () => undefined,
  };
}

const flowOf = (path: string, text: string, host: ParamsHost): FlowModel | undefined | null => {
  const a = associate(path, parseParamsDocument(text), host);
  return a === undefined ? null : a.flow;
};

describe('params files: which flow a file is for', () => {
  const host = fakeHost({
    '/p/a.ts': flowText('AFlow', ['alpha', 'beta']) + flowText('BFlow', ['beta', 'gamma']).replace(/^import.*\n/, ''),
    '/solo/only.ts': flowText('OnlyFlow', ['x']),
    '/noflows/util.ts': 'export const x = 1;\n',
  });

  it('knows YAML and JSON by language id or extension', () => {
    assert.equal(paramsLanguage('/p/x.txt', 'yaml'), 'yaml');
    assert.equal(paramsLanguage('/p/x.yml'), 'yaml');
    assert.equal(paramsLanguage('/p/x.json', 'json'), 'json');
    assert.equal(paramsLanguage('/p/x.ts', 'typescript'), undefined);
    assert.deepEqual(
      ['params.yaml', 'params-dev.yml', 'train.params.json', 'Params.JSON', 'my-params.yaml', 'compose.yaml'].map(isParamsFileName),
      [true, true, true, true, false, false],
    );
  });

  it('takes the flow the first line or "$flow" names', () => {
    assert.equal(flowOf('/p/x.yaml', '# flowspec: a.ts BFlow\nalpha: { value: 1 }\n', host)?.name, 'BFlow');
    assert.equal(flowOf('/p/sub/x.yaml', '# flowspec: ../a.ts#AFlow\n', host)?.name, 'AFlow');
    assert.equal(flowOf('/p/x.json', '{ "$flow": "a.ts#BFlow", "gamma": { "value": 1 } }', host)?.name, 'BFlow');
    assert.equal(
      flowOf('/p/x.yaml', '# flowspec: a.ts\ngamma: { value: 1 }\n', host)?.name,
      'BFlow',
      'no name: the best-covering flow of that file',
    );
    const missing = associate('/p/x.yaml', parseParamsDocument('# flowspec: nope.ts AFlow\n'), host)!;
    assert.equal(missing.flow, undefined);
    assert.match(missing.problem!.message, /no flow file nope\.ts/);
  });

  it('by name, picks the flow of the folder whose parameters cover the most entries', () => {
    assert.equal(flowOf('/p/params.yaml', 'alpha: { value: 1 }\nbeta: { value: 2 }\n', host)?.name, 'AFlow');
    assert.equal(flowOf('/p/dev.params.json', '{ "gamma": { "value": 1 } }', host)?.name, 'BFlow');
    assert.equal(flowOf('/p/params.yaml', 'beta: { value: 2 }\n', host), undefined, 'a tie: no flow, only structural checks');
    assert.equal(flowOf('/solo/params.yaml', 'typo: { value: 2 }\n', host)?.name, 'OnlyFlow', 'a lone flow wins even with no match');
  });

  it('leaves other YAML/JSON files alone', () => {
    assert.equal(flowOf('/p/compose.yaml', 'services: {}\n', host), null, 'not named params and no header');
    assert.equal(flowOf('/noflows/params.yaml', 'a: { value: 1 }\n', host), null, "no flow in the folder: some other tool's params");
    assert.equal(analyzeParams('/p/compose.yaml', 'services: [', host), undefined);
  });
});

describe('params files: datastore root and ref cache', () => {
  it("is the runtime's datastore root seen from the file's folder; a broken config counts as none", () => {
    assert.equal(
      datastoreRootFor('/w/a/params.yaml', (from) => `${from}/store`),
      '/w/a/store',
    );
    assert.equal(
      datastoreRootFor('/w/a/params.yaml', () => {
        throw new Error('broken flowspec.config.json');
      }),
      '/w/a/.flowspec',
    );
  });
});

describe('params files: diagnostics fixtures', function () {
  this.timeout(60000);
  let root: string;
  let resolver: RefResolver;
  const host = diskHost();
  const files = readdirSync(DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.expected.json'))
    .sort();
  const analyze = (file: string) => analyzeParams(join(DIR, file), readFileSync(join(DIR, file), 'utf8'), host, resolver.lookup(root));

  before(() => {
    // TrainFlow/1 succeeds, TrainFlow/2 fails: what the refs of the fixtures point at.
    root = freshRoot();
    assert.equal(runCli(['run', join(DIR, 'flows.ts'), '--flow', 'TrainFlow'], root).code, 0);
    assert.equal(runCli(['run', join(DIR, 'flows.ts'), '--flow', 'TrainFlow', '--fail', 'true'], root).code, 1);
    resolver = new RefResolver((r) => new LocalDatastore(r));
  });

  const seen = new Set<string>();
  for (const file of files) {
    it(file, () => {
      const analysis = analyze(file);
      assert.ok(analysis, `${file} is a params file`);
      const actual = analysis.diagnostics.map(({ code, severity, message, range }) => ({ code, severity, message, range }));
      for (const d of actual) seen.add(d.code);
      const expectedFile = join(DIR, `${file}.expected.json`);
      assertGoldenJson(expectedFile, actual);
      assert.ok(actual.every((d) => d.severity === 'error') || file.includes('flow'), 'only a missing flow is a warning');
    });
  }

  it('the fixtures show every params code', () => {
    assert.deepEqual(
      [...PARAMS_CODES].filter((c) => !seen.has(c)),
      [],
    );
  });

  it('good.yaml, with every form of entry, has no diagnostic', () => {
    assert.deepEqual(analyze('good.yaml')!.diagnostics, []);
  });

  describe('hover', () => {
    const hoverAt = (file: string, search: string, delta = 0) => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const at = text.indexOf(search);
      assert.ok(at >= 0, search);
      return paramsHover(analyze(file)!, text, at + delta)?.markdown;
    };

    it('a ref entry: the parameter, and the value it resolves to with the task it comes from', () => {
      const text = hoverAt('good.yaml', 'model:')!;
      assert.match(text, /\*\*parameter\*\* `model` \(json\) of `ScoreFlow`/);
      assert.match(text, /Weights of a trained model/);
      assert.match(text, /`model` ← TrainFlow\/1\/end\/5\.model = \{weights: \[0, 0\.1, 0\.2\]\}/);
    });

    it('a literal entry: type, help and default; the same on its value', () => {
      const key = hoverAt('good.yaml', 'rate:')!;
      assert.match(key, /\*\*parameter\*\* `rate` \(number\) of `ScoreFlow`\n\nLearning rate\n\ndefault: `0\.1`/);
      assert.match(key, /exported to every task as `\$RATE_VAR`/);
      assert.equal(hoverAt('good.yaml', '0.25'), key);
    });

    it('a config entry: the config, its help, and the file or value that replaces its default', () => {
      assert.match(
        hoverAt('good.yaml', 'scoring:')!,
        /\*\*config\*\* `scoring` of `ScoreFlow`\n\nHow scores are computed\n\nread from `configs\/strict\.json` \(relative to this file\) instead of its default `configs\/scoring\.json`/,
      );
      assert.match(hoverAt('good.yaml', 'thresholds:')!, /value: `\{low: 0\.2, high: 0\.8\}`/);
    });

    it('a ref that does not resolve shows why', () => {
      assert.match(hoverAt('ref.yaml', 'rate:')!, /`rate` ← flows\.TrainFlow\.latest: run TrainFlow\/2 did not succeed \(failed\)/);
    });

    it('context values, init files, the header, a file with no single flow', () => {
      assert.match(hoverAt('good.yaml', 'team:')!, /current\.context\.team/);
      assert.match(hoverAt('good.yaml', 'inputs:')!, /copied into each task's working folder[\s\S]*`flows\.ts`/);
      assert.match(hoverAt('good.yaml', 'flows.ts ScoreFlow')!, /params for `ScoreFlow` \(named by this file\)/);
      assert.match(
        hoverAt('tie.params.yaml', 'size:')!,
        /no single flow for this file \(`TrainFlow`, `ScoreFlow` match its entries equally\)/,
      );
    });
  });

  it('quick fix for an unknown parameter: "Change to \'rate\'"', () => {
    const text = readFileSync(join(DIR, 'unknown-parameter.yaml'), 'utf8');
    const analysis = analyze('unknown-parameter.yaml')!;
    const d = analysis.diagnostics.find((x) => x.code === 'params-unknown-parameter')!;
    const actions = paramsQuickFixes('file:///p.yaml', text, analysis, d.range);
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Change to 'rate'"],
    );
    assert.deepEqual(actions[0].edit!.changes!['file:///p.yaml'], [{ range: d.range, newText: 'rate' }]);
    const json = readFileSync(join(DIR, 'flow-key.json'), 'utf8');
    const ja = analyze('flow-key.json')!;
    const jd = ja.diagnostics.find((x) => x.code === 'params-unknown-parameter')!;
    assert.equal(
      paramsQuickFixes('file:///p.json', json, ja, jd.range)[0].edit!.changes!['file:///p.json'][0].newText,
      '"label"',
      'JSON keys keep their quotes',
    );
  });

  it('ref lookups are cached for a while, then read again', () => {
    let reads = 0;
    let now = 0;
    const counting = (r: string): Datastore => {
      const store = new LocalDatastore(r);
      return new Proxy(store, {
        get: (t, k) => {
          if (k === 'readJson') reads++;
          return Reflect.get(t, k, t);
        },
      });
    };
    const lookup = new RefResolver(counting, { ttlMs: 3000, now: () => now }).lookup(root)!;
    const first = lookup('flows.TrainFlow.1', 'outputs.model', 'ScoreFlow');
    assert.ok(first?.ok);
    const afterFirst = reads;
    assert.ok(afterFirst > 0);
    now = 2999;
    assert.deepEqual(lookup('flows.TrainFlow.1', 'outputs.model', 'ScoreFlow'), first);
    assert.equal(reads, afterFirst, 'within the TTL: no datastore read');
    now = 3000;
    lookup('flows.TrainFlow.1', 'outputs.model', 'ScoreFlow');
    assert.ok(reads > afterFirst, 'after the TTL: read again');
  });
});
