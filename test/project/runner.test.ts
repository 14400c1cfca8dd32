// The Runner API (`flowspec/runner`) from a user's tests: a CommonJS and a "type": "module"
// project with the packed package installed, each running the same checks under node:test, mocha
// and vitest (run, a failed run, spin, bad input, streaming and cancelling), and a strict
// TypeScript file that uses the Runner's types.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../support/cli';
import { WORK, flowspec, makeProject, sh, typecheck } from './support/projects';
import { writeStrictTsconfig } from '../support/tsconfig';

const FLOW = `import { FlowSpec, Inputs, step, Parameter } from 'flowspec';
export class CountFlow extends FlowSpec {
  n = Parameter('n', { default: 2 });
  wait = Parameter('wait', { default: 0 });
  @step start() {
    if (this.n < 0) throw new Error('n must be at least 0');
    this.items = Array.from({ length: this.n }, (_, i) => i);
    this.next(this.square, { foreach: 'items' });
  }
  @step async square() {
    await new Promise((r) => setTimeout(r, this.wait));
    this.sq = this.input * this.input;
    console.log('square', this.sq);
    this.next(this.join);
  }
  @step join(inputs: Inputs) { this.total = [...inputs].reduce((s, i) => s + i.sq, 0); this.next(this.end); }
  @step end() {}
}
`;

/** The checks, as a test file for `runner` (node:test, mocha or vitest, which takes ES modules) in a module system. */
function testFile(runner: 'node' | 'mocha' | 'vitest', esm: boolean): string {
  const imports = esm
    ? `import { run, spin, asyncRun, RunnerError } from 'flowspec/runner';
import { Run } from 'flowspec/client';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
${runner === 'node' ? "import { test } from 'node:test';" : runner === 'vitest' ? "import { test } from 'vitest';" : ''}
const here = new URL('.', import.meta.url).pathname;`
    : `const { run, spin, asyncRun, RunnerError } = require('flowspec/runner');
const { Run } = require('flowspec/client');
const assert = require('node:assert/strict');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
${runner === 'node' ? "const { test } = require('node:test');" : ''}
const here = __dirname;`;
  const t = runner === 'mocha' ? 'it' : 'test';
  return `${imports}
const flow = join(here, 'flow.ts');
const root = mkdtempSync(join(tmpdir(), 'runner-root-'));

${t}('run resolves to the client Run', async () => {
  const r = await run(flow, { params: { n: 3 }, tags: ['t1'], maxWorkers: 2, root });
  assert.ok(r instanceof Run);
  assert.equal(r.successful, true);
  assert.equal(r.data.total, 5);
  assert.deepEqual(r.parameters, { n: 3, wait: 0 });
  assert.ok(r.tags.includes('t1'));
});

${t}('a failed run resolves too, with its failed task', async () => {
  const r = await run(flow, { params: { n: -1 }, root });
  assert.equal(r.status, 'failed');
  assert.match(r.step('start').task.exception.message, /n must be at least 0/);
});

${t}('spin resolves to the spun task, apart from runs', async () => {
  const first = await run(flow, { params: { n: 3 }, root });
  const task = await spin(flow, 'square', { runId: first.id, index: 2, root });
  assert.equal(task.data.sq, 4);
  assert.match(task.pathspec, /^CountFlow\\/spin-\\d+\\/square\\//);
  const join_ = await spin(flow, 'join', { runId: first.id, root, artifacts: { unused: 1 } });
  assert.equal(join_.data.total, 5);
});

${t}('bad input rejects with the CLI line', async () => {
  await assert.rejects(run(flow, { params: { nope: 1 }, root }), (e) => e instanceof RunnerError && /unknown parameter --nope/.test(e.message));
});

${t}('the async form streams lines and cancels', async () => {
  const execution = asyncRun(flow, { params: { n: 2, wait: 60000 }, root });
  const seen = [];
  for await (const line of execution) {
    seen.push(line.text);
    if (/\\/square\\/.*Task is starting/.test(line.text)) execution.cancel();
  }
  const r = await execution.result;
  assert.equal(r.status, 'killed');
  assert.match(seen[0], /^Workflow starting \\(run-id \\d+\\):$/);
});
`;
}

const TYPED = `import { run, spin, asyncRun, type Execution, type LogLine } from 'flowspec/runner';
import type { Run, Task } from 'flowspec/client';

export async function check(): Promise<number> {
  const r: Run = await run('flow.ts', { params: { n: 1 }, root: '/tmp/x', maxWorkers: 1, tags: ['a'], flow: 'CountFlow' });
  const t: Task = await spin('flow.ts', 'square', { runId: r.id, index: [0], artifacts: { x: 1 } });
  const e: Execution<Run> = asyncRun('flow.ts', { onLog: (l: LogLine) => console.log(l.stream, l.text) });
  e.cancel();
  return (await e.result).data.total + t.data.sq;
}
`;

/** vitest, installed once from the registry (npm's cache makes later runs offline) beside the projects. */
function installVitest(): string {
  const dir = join(WORK, 'vitest');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'vitest-install', private: true }));
  const r = sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', 'vitest@3.2'], dir);
  assert.equal(r.code, 0, `npm install vitest: ${r.stderr}`);
  return join(dir, 'node_modules', 'vitest');
}

describe('the Runner API in a user project', function () {
  this.timeout(300_000);
  const mocha = join(REPO, 'node_modules', 'mocha');
  let vitest: string;
  before(() => {
    vitest = installVitest();
  });

  for (const esm of [false, true]) {
    const kind = esm ? 'a "type": "module" project' : 'a CommonJS project';
    const ext = esm ? 'js' : 'cjs';
    let project: string;
    before(() => {
      project = makeProject(
        `runner-${esm ? 'esm' : 'cjs'}`,
        {
          'package.json': JSON.stringify({ name: 'runner-project', private: true, ...(esm ? { type: 'module' } : {}) }),
          'flow.ts': FLOW,
          [`node.test.${ext}`]: testFile('node', esm),
          [`mocha.test.${ext}`]: testFile('mocha', esm),
          'vitest.test.mjs': testFile('vitest', true),
        },
        { links: { mocha, vitest } },
      );
    });

    it(`works under node:test in ${kind}`, () => {
      const r = sh(process.execPath, ['--test', `node.test.${ext}`], project);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /# pass 5\n/);
    });

    it(`works under mocha in ${kind}`, () => {
      const r = sh(process.execPath, [join(mocha, 'bin', 'mocha.js'), '--timeout', '120000', `mocha.test.${ext}`], project);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /5 passing/);
    });

    it(`works under vitest in ${kind}`, () => {
      const r = sh(process.execPath, [join(vitest, 'vitest.mjs'), 'run', '--testTimeout=120000', 'vitest.test.mjs'], project, {
        NO_COLOR: '1',
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Tests {2}5 passed \(5\)/);
    });
  }

  it("the test of the example flow that flowspec init writes passes with the project's npm test", () => {
    const project = makeProject('runner-init', {});
    const init = flowspec(project, ['init', '.']);
    assert.equal(init.code, 0, init.stderr);
    const r = sh('npm', ['test'], project);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /# pass 2\n/);
  });

  it('is typed: a strict TypeScript project type-checks against it', () => {
    const project = makeProject('runner-types', {
      'package.json': JSON.stringify({ name: 'runner-types', private: true }),
      'check.ts': TYPED,
    });
    writeStrictTsconfig(project, ['check.ts']);
    const r = typecheck(project);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});
