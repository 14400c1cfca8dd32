// The layers of docs/architecture.md hold whatever the import form: the rule flowspec/imports
// (scripts/lint/imports.mjs), with the zones of eslint.config.mjs, resolves each specifier first.
// And the extension host's thread makes no synchronous file system call.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Linter } from 'eslint';
import { REPO } from '../support/cli';

type Config = Linter.Config & { languageOptions?: { parserOptions?: { projectService?: unknown; project?: unknown } } };

/**
 * The messages of `ruleId` for `code` as the file `file` of the repo, with the repo's own
 * configuration (without the rules that need type information, which only files on disk have).
 */
async function lintProblems(file: string, code: string, ruleId: string): Promise<string[]> {
  const configs = ((await import(join(REPO, 'eslint.config.mjs'))).default as Config[]).filter(
    (c) => !c.languageOptions?.parserOptions?.projectService && !c.languageOptions?.parserOptions?.project,
  );
  const messages = new Linter({ cwd: REPO }).verify(code, configs, { filename: join(REPO, file) });
  assert.deepEqual(
    messages.filter((m) => m.fatal),
    [],
    'the code parses',
  );
  return messages.filter((m) => m.ruleId === ruleId).map((m) => m.message);
}
const importProblems = (file: string, code: string) => lintProblems(file, code, 'flowspec/imports');

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

describe('the extension host makes no synchronous file system call', () => {
  const SYNC = 'no-restricted-syntax';
  it('refuses a *Sync call on the extension host, by name or as a method', async () => {
    const code =
      "import { existsSync } from 'node:fs';\nimport * as fs from 'node:fs';\nexport const a = existsSync('x') || fs.statSync('y');";
    assert.equal((await lintProblems('client/newProject.ts', code, SYNC)).length, 2);
    assert.equal((await lintProblems('client/reader/proxy.ts', code, SYNC)).length, 2, "the reader's host side too");
  });
  it("allows them on the reader's thread and in the TypeScript server plugin", async () => {
    const code = "import { existsSync } from 'node:fs';\nexport const a = existsSync('x');";
    assert.deepEqual(await lintProblems('client/reader/queries.ts', code, SYNC), []);
    assert.deepEqual(await lintProblems('client/tsPlugin/index.ts', code, SYNC), []);
  });
  it('refuses the project files rule on the host thread, which ProjectFacts asks of the reader', async () => {
    const problems = await importProblems('client/runner.ts', "import { hasSlurmSection } from '../runtime/slurm/settings';");
    assert.equal(problems.length, 1);
    assert.match(problems[0], /ProjectFacts/);
  });
});
