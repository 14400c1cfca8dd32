// The package in a user's own projects, outside the repo: CommonJS, ESM with NodeNext, Bundler
// resolution with tsconfig paths, Node10 resolution, legacy decorators in the tsconfig, and an npm
// workspace (monorepo). Each project type-checks with `tsc --noEmit`, runs with `npx flowspec run`,
// and its runs are read through `flowspec/client` with both `require` and `import`.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { flowspec, makeProject, node, typecheck, WORK } from './support/projects';

/** A flow with a parameter, a foreach and a join, importing `helper` for its numbers. */
const flowUsing = (helper: string, name: string) => `import { FlowSpec, Inputs, Parameter, step } from 'flowspec';
import { double } from '${helper}';

export class ${name} extends FlowSpec {
  factor = Parameter('factor', { default: 1 });

  @step start() { this.items = [1, 2, 3]; this.next(this.work, { foreach: 'items' }); }
  @step work() { this.y = double(this.input as number) * this.factor; this.next(this.join); }
  @step join(inputs: Inputs) {
    this.total = [...inputs].reduce((sum, i) => sum + (i.y as number), 0);
    this.next(this.end);
  }
  @step end() { console.log(\`total \${this.total}\`); }
}
`;
const helper = 'export function double(x: number): number { return 2 * x; }\n';

const requireReport = (flow: string) => `const { Flow } = require('flowspec/client');
const run = new Flow('${flow}').latestSuccessfulRun;
console.log(JSON.stringify({ id: run.id, total: run.data.total, factor: run.parameters.factor }));
`;
const importReport = (flow: string) => `import { Flow } from 'flowspec/client';
const run = new Flow('${flow}').latestSuccessfulRun;
console.log(JSON.stringify({ id: run.id, total: run.data.total, factor: run.parameters.factor }));
`;
/** A typed script: what tsc checks of `flowspec/client`. */
const typedReport = (flow: string) => `import { Flow, type Run } from 'flowspec/client';
const run: Run | undefined = new Flow('${flow}').latestSuccessfulRun;
const total: number = run?.data.total;
console.log(total);
`;

const tsconfig = (compilerOptions: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      compilerOptions: { target: 'ES2022', strict: true, skipLibCheck: true, types: ['node'], ...compilerOptions },
      ...extra,
    },
    null,
    2,
  );

function assertRan(project: string, args: string[], total: number, cwd = project): void {
  const r = flowspec(project, ['run', ...args], {}, cwd);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`\\[\\d+/end/\\d+ \\(pid \\d+\\)\\] total ${total}\\n`));
}

function assertClientReads(project: string, script: string, expected: object): void {
  const r = node(project, script);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), expected);
}

describe("flows in a user's own project", function () {
  this.timeout(180_000);

  it('CommonJS: a .ts and a .cts flow run; types check under NodeNext; the client API works with require and import', () => {
    const project = makeProject('cjs', {
      'package.json': JSON.stringify({ name: 'cjs-project', private: true }),
      'tsconfig.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }),
      'lib/math.ts': helper,
      'flows/flow.ts': flowUsing('../lib/math', 'CjsFlow'),
      'flows/other.cts': flowUsing('../lib/math', 'CtsFlow'),
      'report.js': requireReport('CjsFlow'),
      'report.mjs': importReport('CjsFlow'),
      'typed.ts': typedReport('CjsFlow'),
    });
    const tsc = typecheck(project);
    assert.equal(tsc.code, 0, tsc.stdout);
    assertRan(project, ['flows/flow.ts', '--factor', '10'], 120);
    assertRan(project, ['flows/other.cts'], 12);
    assertClientReads(project, 'report.js', { id: '1', total: 120, factor: 10 });
    assertClientReads(project, 'report.mjs', { id: '1', total: 120, factor: 10 });
  });

  it('ESM ("type": "module", NodeNext): ./util.js imports of .ts files, import.meta.url, top-level await, a .mts flow', () => {
    const project = makeProject('esm', {
      'package.json': JSON.stringify({ name: 'esm-project', private: true, type: 'module' }),
      'tsconfig.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }),
      'src/data.txt': '7\n',
      // Top-level await and import.meta.url in an imported module: reads the file next to it.
      'src/util.ts': `import { readFile } from 'node:fs/promises';
const seven = Number(await readFile(new URL('./data.txt', import.meta.url), 'utf8'));
export function double(x: number): number { return 2 * x * seven; }
export const where: string = import.meta.url;
`,
      'src/flow.ts': flowUsing('./util.js', 'EsmFlow'),
      'src/flow2.mts': flowUsing('./util.js', 'MtsFlow'),
      'report.js': importReport('EsmFlow'),
      'report.cjs': requireReport('EsmFlow'),
      'typed.ts': typedReport('EsmFlow'),
    });
    const tsc = typecheck(project);
    assert.equal(tsc.code, 0, tsc.stdout);
    assertRan(project, ['src/flow.ts'], 84);
    assertRan(project, ['src/flow2.mts', '--factor', '2'], 168);
    assertClientReads(project, 'report.js', { id: '1', total: 84, factor: 1 });
    assertClientReads(project, 'report.cjs', { id: '1', total: 84, factor: 1 });
  });

  it("Bundler resolution: the paths and baseUrl of tsconfig.json resolve a flow's imports", () => {
    const project = makeProject('bundler', {
      'package.json': JSON.stringify({ name: 'bundler-project', private: true, type: 'module' }),
      'tsconfig.json': tsconfig({ module: 'preserve', moduleResolution: 'bundler', baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } }),
      'src/lib/math.ts': helper,
      'src/flows/flow.ts': flowUsing('@lib/math', 'BundlerFlow'),
      'typed.ts': typedReport('BundlerFlow'),
    });
    const tsc = typecheck(project);
    assert.equal(tsc.code, 0, tsc.stdout);
    assertRan(project, ['src/flows/flow.ts'], 12);
  });

  it('Node10 resolution: the types of flowspec and flowspec/client are found without the exports map', () => {
    const project = makeProject('node10', {
      'package.json': JSON.stringify({ name: 'node10-project', private: true }),
      'tsconfig.json': tsconfig({ module: 'commonjs', moduleResolution: 'node10' }),
      'lib/math.ts': helper,
      'flow.ts': flowUsing('./lib/math', 'Node10Flow'),
      'typed.ts': typedReport('Node10Flow'),
    });
    const tsc = typecheck(project);
    assert.equal(tsc.code, 0, tsc.stdout);
    assertRan(project, ['flow.ts'], 12);
  });

  it('a tsconfig with experimentalDecorators: flow files still get standard decorators; other files keep legacy ones', () => {
    const project = makeProject('legacy', {
      'package.json': JSON.stringify({ name: 'legacy-project', private: true }),
      'tsconfig.json': tsconfig({ module: 'commonjs', experimentalDecorators: true }),
      // A legacy decorator (target, key, descriptor) in a helper that does not import flowspec.
      'lib/math.ts': `function logged(_target: object, _key: string, descriptor: PropertyDescriptor) { descriptor.value.legacy = true; }
class Calc { @logged double(x: number) { return 2 * x; } }
export function double(x: number): number { return (Calc.prototype.double as unknown as { legacy?: boolean }).legacy ? new Calc().double(x) : NaN; }
`,
      'flow.ts': flowUsing('./lib/math', 'LegacyFlow'),
    });
    assertRan(project, ['flow.ts'], 12);
  });

  it('a monorepo: a flow imports a TypeScript workspace package; runs are the same from every folder of the project', () => {
    const files = {
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'tsconfig.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }, { include: ['flows', 'packages', 'report.ts'] }),
      'packages/stats/package.json': JSON.stringify({ name: '@acme/stats', version: '1.0.0', main: 'src/index.ts', types: 'src/index.ts' }),
      'packages/stats/src/index.ts': `export { double } from './double';\n`,
      'packages/stats/src/double.ts': helper,
      'flows/flow.ts': flowUsing('@acme/stats', 'MonoFlow'),
      'report.js': requireReport('MonoFlow'),
    };
    const root = makeProject('mono', files, { links: { '@acme/stats': join(WORK, 'mono/packages/stats') } });
    const tsc = typecheck(root);
    assert.equal(tsc.code, 0, tsc.stdout);
    const flows = join(root, 'flows');
    assertRan(root, ['flow.ts', '--factor', '3'], 36, flows);
    assert.ok(existsSync(join(root, '.flowspec')), 'the runs are at the project root, next to package.json');
    const listed = flowspec(root, ['runs', 'MonoFlow', '--json'], {}, flows);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      JSON.parse(listed.stdout).map((r: { run: string }) => r.run),
      ['1'],
    );
    assertClientReads(root, 'report.js', { id: '1', total: 36, factor: 3 });
  });
});
