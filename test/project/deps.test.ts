// npm packages a flow imports, bundled apart from the project's code (runtime/flowcode/deps.ts): every
// import form reads what Node gives, in a CommonJS and an ESM project outside the repo; a step's error
// inside a package points at the package's file; an edit of the flow reuses the packages' bundle from
// the cache, and a changed package file is bundled again.
import { strict as assert } from 'node:assert';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowspec, makeProject } from './support/projects';

/** Installed packages (files inside node_modules, as npm leaves them): an ES module one and two CommonJS ones. */
const PACKAGES = {
  'node_modules/esm-pkg/package.json': JSON.stringify({ name: 'esm-pkg', version: '1.0.0', type: 'module', exports: './index.js' }),
  'node_modules/esm-pkg/index.js': `export default function greet(n) { return 'hi ' + n; }
export const VERSION = 'one';
export class Counter { constructor() { this.n = 0; } add() { return ++this.n; } }
export function fail() { throw new Error('failed inside esm-pkg'); }
`,
  'node_modules/cjs-pkg/package.json': JSON.stringify({ name: 'cjs-pkg', version: '1.0.0', main: 'index.js' }),
  'node_modules/cjs-pkg/index.js': `module.exports = function twice(x) { return 2 * x; };\nmodule.exports.half = (x) => x / 2;\n`,
  'node_modules/flagged-pkg/package.json': JSON.stringify({ name: 'flagged-pkg', version: '1.0.0', main: 'index.js' }),
  'node_modules/flagged-pkg/index.js': `Object.defineProperty(exports, '__esModule', { value: true });\nexports.default = 'the default';\nexports.named = 'named';\n`,
};

const flow = (name: string, helper: string) => `import { FlowSpec, step } from 'flowspec';
import greet, { VERSION, Counter, fail } from 'esm-pkg';
import * as esm from 'esm-pkg';
import twice from 'cjs-pkg';
import * as cjs from 'cjs-pkg';
import flagged, { named } from 'flagged-pkg';
import { again } from '${helper}';

export class ${name} extends FlowSpec {
  @step start() {
    const c = new Counter();
    c.add();
    console.log(JSON.stringify({
      greet: greet('a'), version: VERSION, count: c.add(), ns: esm.VERSION, twice: twice(3), half: cjs.half(8),
      flagged: typeof flagged === 'string' ? flagged : 'module.exports', named, again: again('b'),
    }));
    this.next(this.end);
  }
  @step end() {
    if (process.env.FAIL_IN_PACKAGE) fail();
  }
}
`;
/** A project module re-exporting from a package. */
const helper = `export { default as again } from 'esm-pkg';\nexport * from 'cjs-pkg';\n`;

function printed(stdout: string): Record<string, unknown> {
  const line = stdout.split('\n').find((l) => l.includes('{"greet"'));
  assert.ok(line, stdout);
  return JSON.parse(line.slice(line.indexOf('{')));
}

/** The deps bundles in a cache folder, with their modification times. */
function cachedBundles(cache: string): Record<string, number> {
  const dir = join(cache, 'deps');
  return Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
}

function check(project: string, helperPath: string, expectedFlagged: string): void {
  const env = { FLOWSPEC_CACHE_DIR: join(project, 'cache') };
  const first = flowspec(project, ['run', 'flow.ts'], env);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const common = { greet: 'hi a', version: 'one', count: 2, ns: 'one', twice: 6, half: 4, named: 'named', again: 'hi b' };
  assert.deepEqual(printed(first.stdout), { ...common, flagged: expectedFlagged });
  const bundles = cachedBundles(env.FLOWSPEC_CACHE_DIR);
  assert.equal(Object.keys(bundles).length, 1, 'one bundle of the packages');

  // An edit of the flow: the packages' bundle is read, not written again.
  writeFileSync(join(project, 'flow.ts'), `${flow('DepsFlow', helperPath)}// an edit\n`);
  const edited = flowspec(project, ['run', 'flow.ts'], { ...env, FAIL_IN_PACKAGE: '1' });
  assert.equal(edited.code, 1, edited.stdout + edited.stderr);
  assert.deepEqual(cachedBundles(env.FLOWSPEC_CACHE_DIR), bundles);
  // The error's frames: the package's file, then the flow file's line.
  assert.match(
    edited.stdout + edited.stderr,
    /Error: failed inside esm-pkg\n.*at fail \(.*node_modules\/esm-pkg\/index\.js:4:\d+\)\n.*at DepsFlow\.end \(.*flow\.ts:20:\d+\)/,
  );

  // A package file that changes is bundled again.
  writeFileSync(join(project, 'node_modules/esm-pkg/index.js'), PACKAGES['node_modules/esm-pkg/index.js'].replace("'one'", "'two'"));
  const changed = flowspec(project, ['run', 'flow.ts'], env);
  assert.equal(changed.code, 0, changed.stdout + changed.stderr);
  assert.equal(printed(changed.stdout).version, 'two');
}

describe('npm packages of a flow, bundled apart from its code', function () {
  this.timeout(180_000);

  it('CommonJS: every import form, errors inside a package, the bundle reused after an edit and rebuilt after a package changes', () => {
    const project = makeProject('deps-cjs', {
      'package.json': JSON.stringify({ name: 'deps-cjs', private: true }),
      'helper.ts': helper,
      'flow.ts': flow('DepsFlow', './helper'),
      ...PACKAGES,
    });
    // A TypeScript file in a CommonJS project reads a flagged module's default as `exports.default`, as tsc's esModuleInterop.
    check(project, './helper', 'the default');
  });

  it('ESM ("type": "module"): the same, and a flagged CommonJS default is module.exports, as Node gives it', () => {
    const project = makeProject('deps-esm', {
      'package.json': JSON.stringify({ name: 'deps-esm', private: true, type: 'module' }),
      'helper.ts': helper,
      'flow.ts': flow('DepsFlow', './helper.js'),
      ...PACKAGES,
    });
    check(project, './helper.js', 'module.exports');
  });
});
