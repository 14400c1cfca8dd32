// Native packages in a flow (@node-rs/xxhash, and @duckdb/node-api for a SQL step): they stay out
// of the code package, which records them with their versions, and load from the project's
// node_modules, locally and over `flowspec step`. A task whose environment lacks one, or has
// another version, fails with one line naming the package and the version. Also: packages listed
// in flowspec.config.json "external", and imports that cannot be resolved.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedDigests, NATIVE_FLOW } from './support/native';
import { flowspec, makeProject, NATIVE_PACKAGES, node, sharedModules, typecheck } from './support/projects';
import { skipBecause } from '../support/skip';

const report = `const { Flow } = require('flowspec/client');
const run = new Flow('NativeFlow').latestSuccessfulRun;
console.log(JSON.stringify({ digests: run.step('hash').tasks().map((t) => t.data.digest), summary: run.data.summary }));
`;

/** One line about the package on stderr, and no stack frames. */
function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter((l) => pattern.test(l));
  assert.equal(lines.length, 1, stderr);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
}

describe('native packages in a flow', function () {
  this.timeout(180_000);
  let project: string;
  before(function () {
    const shared = sharedModules();
    if (!shared.native) {
      skipBecause(this, shared.why ?? 'the native packages are not installed');
    }
    project = makeProject('native', {
      'package.json': JSON.stringify({ name: 'native-project', private: true, type: 'module' }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          skipLibCheck: true,
          types: ['node'],
        },
      }),
      'flow.ts': NATIVE_FLOW,
      'report.cjs': report,
    });
  });

  it('runs locally: xxhash digests and a DuckDB SQL step; the code package records the externals and their versions', () => {
    assert.equal(typecheck(project).code, 0, typecheck(project).stdout);
    const r = flowspec(project, ['run', 'flow.ts']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\] sql \{"n":3,"words":"alpha,beta,gamma","top":"\d+"\}\n/);
    const read = node(project, 'report.cjs');
    assert.equal(read.code, 0, read.stderr);
    const { digests, summary } = JSON.parse(read.stdout);
    assert.deepEqual(digests, expectedDigests());
    assert.equal(summary.top, String(Math.max(...expectedDigests())));
    const runRecord = JSON.parse(readFileSync(join(project, '.flowspec/NativeFlow/runs/1/run.json'), 'utf8'));
    const codePackage = readFileSync(join(project, '.flowspec', runRecord.code), 'utf8');
    const link = JSON.parse(/__flowspec\.link\((\{.*?\})\);/.exec(codePackage)![1]);
    assert.deepEqual(link.externals, NATIVE_PACKAGES);
    assert.ok(codePackage.length < 50_000, `the native packages are not in the bundle (${codePackage.length} bytes)`);
  });

  it('runs a task over `flowspec step`; a task whose environment lacks an external, or has another version, fails with one line naming it', () => {
    const start = JSON.parse(readFileSync(join(project, '.flowspec/NativeFlow/runs/1/steps/start/1/task.json'), 'utf8'));
    assert.equal(start.status, 'success');
    const step = (taskId: string) =>
      flowspec(project, [
        'step',
        'flow.ts',
        'hash',
        '--flow',
        'NativeFlow',
        '--run-id',
        '1',
        '--task-id',
        taskId,
        '--input-paths',
        '1/start/1',
        '--split-index',
        '1',
      ]);
    const ok = step('100');
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const record = JSON.parse(readFileSync(join(project, '.flowspec/NativeFlow/runs/1/steps/hash/100/task.json'), 'utf8'));
    assert.equal(record.status, 'success');

    const installed = join(project, 'node_modules/@node-rs/xxhash');
    const away = `${installed}.away`;
    renameSync(installed, away);
    try {
      const missing = step('101');
      assert.equal(missing.code, 1);
      assertOneLine(missing.stderr, /@node-rs\/xxhash/);
      assert.match(missing.stderr, /this flow needs @node-rs\/xxhash 1\.7\.8, which is not installed here/);

      mkdirSync(installed);
      writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: '@node-rs/xxhash', version: '1.0.0', main: 'index.js' }));
      writeFileSync(join(installed, 'index.js'), 'exports.xxh32 = () => 0;\n');
      const other = step('102');
      assert.equal(other.code, 1);
      assertOneLine(other.stderr, /@node-rs\/xxhash/);
      assert.match(other.stderr, /this flow needs @node-rs\/xxhash 1\.7\.8, but version 1\.0\.0 is installed here/);
    } finally {
      rmSync(installed, { recursive: true, force: true });
      renameSync(away, installed);
    }
  });

  it('keeps the packages of flowspec.config.json "external" out of the code package and loads them from node_modules', () => {
    const plain = join(project, 'plain-lib');
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(plain, 'package.json'), JSON.stringify({ name: 'plain-lib', version: '2.3.4', main: 'index.js' }));
    writeFileSync(join(plain, 'index.js'), `exports.greet = (n) => 'hello ' + n; // PLAIN-LIB-SOURCE\n`);
    symlinkSync(plain, join(project, 'node_modules/plain-lib'));
    const dir = join(project, 'configured');
    mkdirSync(dir);
    writeFileSync(join(dir, 'flowspec.config.json'), JSON.stringify({ external: ['plain-lib'] }));
    writeFileSync(
      join(dir, 'greet.ts'),
      `import { FlowSpec, step } from 'flowspec';
// @ts-ignore: a plain JavaScript package
import { greet } from 'plain-lib';
export class GreetFlow extends FlowSpec {
  @step start() { this.message = greet('flows'); this.next(this.end); }
  @step end() { console.log(this.message); }
}
`,
    );
    const r = flowspec(project, ['run', 'greet.ts'], {}, dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\] hello flows\n/);
    // The runs go to the nearest existing .flowspec/ up the tree: the project's.
    const runRecord = JSON.parse(readFileSync(join(project, '.flowspec/GreetFlow/runs/1/run.json'), 'utf8'));
    const codePackage = readFileSync(join(project, '.flowspec', runRecord.code), 'utf8');
    assert.doesNotMatch(codePackage, /PLAIN-LIB-SOURCE/);
    assert.match(codePackage, /"externals":\{"plain-lib":"2\.3\.4"\}/);
  });

  it('an import that cannot be resolved: one line naming the import and the file, exit 2', () => {
    writeFileSync(
      join(project, 'broken.ts'),
      `import { FlowSpec, step } from 'flowspec';\nimport { nope } from 'no-such-package';\nexport class BrokenFlow extends FlowSpec {\n  @step start() { nope(); this.next(this.end); }\n  @step end() {}\n}\n`,
    );
    const r = flowspec(project, ['run', 'broken.ts']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /broken\.ts:2:\d+: Could not resolve "no-such-package": install it in the project \(npm i no-such-package\)/);
    writeFileSync(
      join(project, 'broken2.ts'),
      `import { FlowSpec, step } from 'flowspec';\nimport { nope } from './helpers/missing.js';\nexport class BrokenFlow extends FlowSpec {\n  @step start() { nope(); this.next(this.end); }\n  @step end() {}\n}\n`,
    );
    const rel = flowspec(project, ['run', 'broken2.ts']);
    assert.equal(rel.code, 2);
    assert.match(rel.stderr.trim(), /^flowspec: broken2\.ts:2:\d+: Could not resolve "\.\/helpers\/missing\.js"$/);
  });
});
