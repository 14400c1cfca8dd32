// The layers of docs/architecture.md hold whatever the import form: the rule flowspec/imports
// (scripts/lint/imports.mjs), with the zones of eslint.config.mjs, resolves each specifier first.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Linter } from 'eslint';
import { REPO } from '../support/cli';

type Config = Linter.Config & { plugins?: Record<string, unknown> };

/** The messages of flowspec/imports for `code` as the file `file` of the repo, with the repo's own configuration. */
async function importProblems(file: string, code: string): Promise<string[]> {
  const configs = (await import(join(REPO, 'eslint.config.mjs'))).default as Config[];
  const parser = configs.find((c) => c.languageOptions?.parser);
  const rule = configs.find((c) => c.plugins?.flowspec);
  assert.ok(parser && rule, 'eslint.config.mjs has a TypeScript parser and the flowspec/imports rule');
  const messages = new Linter({ cwd: REPO }).verify(
    code,
    [
      { files: ['**/*.ts'], languageOptions: parser.languageOptions },
      { ...rule, files: ['**/*.ts'] },
    ],
    {
      filename: join(REPO, file),
    },
  );
  assert.deepEqual(
    messages.filter((m) => m.fatal),
    [],
    'the code parses',
  );
  return messages.filter((m) => m.ruleId === 'flowspec/imports').map((m) => m.message);
}

describe('the layers, whatever the import form', () => {
  const bypasses: Array<[string, string, string]> = [
    ['an import', 'client/runs/tree.ts', "import { analyzeText } from '../../analyzer';"],
    ['require()', 'client/runs/tree.ts', "const analyzer = require('../../analyzer');"],
    ['import()', 'client/runs/tree.ts', "export const analyzer = import('../../analyzer');"],
    ['a template literal', 'client/runs/tree.ts', 'export const analyzer = import(`../../analyzer`);'],
    ["'./../x'", 'runtime/scheduler/localScheduler.ts', "import { x } from './../../analyzer/index';"],
    ["'../runtime/../analyzer'", 'cli/main.ts', "import { x } from '../runtime/../server/server';"],
    ['export from', 'runtime/index.ts', "export * from './../cli/main';"],
    ['import = require()', 'model/flowModel.ts', "import runtime = require('../runtime/errors');"],
    ['typeof import()', 'analyzer/index.ts', "export type Runtime = typeof import('../runtime/errors');"],
    ['require.resolve()', 'server/server.ts', "export const cli = require.resolve('../cli/main');"],
    ['a computed specifier', 'client/extension.ts', "const name = '../analyzer';\nexport const analyzer = require(name);"],
    ['the package alias', 'client/runs/tree.ts', "import { Flow } from 'flowspec/client';"],
    ['the package name', 'cli/main.ts', "import { FlowSpec } from 'flowspec';"],
    ["a package's subpath", 'runtime/index.ts', "import ts from 'typescript/lib/typescript';"],
    [
      'the datastore from the extension host, by import()',
      'client/runs/tree.ts',
      "export const c = import('../../runtime/../runtime/client');",
    ],
    ['the datastore from the extension host, by require()', 'client/graph/panel.ts', "const d = require('../../runtime/datastore/local');"],
    ['code outside a webview', 'client/webview/graph.ts', "import { SECTION } from '../config';"],
    ['a test helper', 'runtime/index.ts', "import { REPO } from '../test/support/cli';"],
  ];
  for (const [form, file, code] of bypasses) {
    it(`refuses ${form}`, async () => {
      const problems = await importProblems(file, code);
      assert.equal(problems.length, 1, `${file}: ${code}\n${problems.join('\n')}`);
    });
  }

  const allowed: Array<[string, string, string]> = [
    [
      'a layer below',
      'runtime/scheduler/runFlow.ts',
      "import { x } from '../../model/flowModel';\nconst y = require('./../../model/reserved');",
    ],
    ['the analyzer from the CLI', 'cli/loadAnalyzer.ts', "export const a = require('../analyzer');"],
    ['the datastore in the reader thread', 'client/reader/queries.ts', "import { Flow } from '../../runtime/client';"],
    ['types of the datastore on the extension host', 'client/runs/tree.ts', "import type { Flow } from '../../runtime/client';"],
    ['where the datastore is', 'client/datastoreRoot.ts', "import { datastoreRoot } from '../runtime/datastore/root';"],
    [
      'types in a webview',
      'client/webview/graph.ts',
      "import type { GraphData } from '../graph/graphData';\nimport dagre from '@dagrejs/dagre';",
    ],
    ['Node builtins and packages', 'runtime/index.ts', "import { join } from 'node:path';\nimport YAML from 'yaml';"],
    ['the package name in a test', 'test/runtime/x.test.ts', "import { FlowSpec } from 'flowspec';\nconst m = require(process.env.X!);"],
  ];
  for (const [what, file, code] of allowed) {
    it(`allows ${what}`, async () => {
      assert.deepEqual(await importProblems(file, code), []);
    });
  }
});
