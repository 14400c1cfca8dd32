// Artifacts holding instances of classes the project's code defines but does not export: a helper
// class of the flow file, one of another TypeScript module and one of a plain JavaScript module keep
// their methods in later steps and through a join, in a CommonJS and in an ESM project outside the repo.
import { strict as assert } from 'node:assert';
import { flowspec, makeProject, node } from './support/projects';

/** A flow whose artifacts are instances of unexported classes; `util` is the import suffix (`''` or `'.js'`). */
const flow = (name: string, util: string) => `import { FlowSpec, Inputs, step } from 'flowspec';
import { square } from './lib/shapes${util}';
import counter from './lib/counter.js';

class Box {
  constructor(public w: number, public h: number) {}
  area(): number { return this.w * this.h; }
}

export class ${name} extends FlowSpec {
  @step start() {
    this.box = new Box(2, 3);
    this.shapes = { list: [square(2), square(3)] };
    this.count = counter(5);
    this.next(this.use);
  }
  @step use() {
    console.log(\`box \${this.box.area()} squares \${this.shapes.list.map((s: { area(): number }) => s.area()).join(',')} count \${this.count.more()}\`);
    this.items = [1, 2];
    this.next(this.work, { foreach: 'items' });
  }
  @step work() { this.part = new Box(this.input as number, 10); this.next(this.join); }
  @step join(inputs: Inputs) {
    console.log(\`parts \${[...inputs].reduce((sum, i) => sum + (i.part as Box).area(), 0)}\`);
    this.next(this.end);
  }
  @step end() {}
}
`;
/** A TypeScript module whose class is used only through a factory. */
const shapes = `class Square {
  constructor(public side: number) {}
  area(): number { return this.side * this.side; }
}
export function square(side: number): Square { return new Square(side); }
`;
const counterCjs = `class Counter {
  constructor(n) { this.n = n; }
  more() { return this.n + 1; }
}
module.exports = function counter(n) { return new Counter(n); };
`;
const counterEsm = `class Counter {
  constructor(n) { this.n = n; }
  more() { return this.n + 1; }
}
export default function counter(n) { return new Counter(n); }
`;

/** Reads the stored record of the box artifact through the client API. */
const boxRecord = (name: string) => `const { Flow } = require('flowspec/client');
const start = new Flow('${name}').latestSuccessfulRun.step('start').task;
console.log(JSON.stringify({ class: start.artifacts.box.class, type: start.artifacts.box.type, nested: start.artifacts.shapes.nestedClasses }));
`;

function assertKept(project: string, file: string): void {
  const r = flowspec(project, ['run', file]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /warning/);
  assert.match(r.stdout, /\] box 6 squares 4,9 count 6\n/);
  assert.match(r.stdout, /\] parts 30\n/);
  const record = node(project, 'record.cjs');
  assert.equal(record.code, 0, record.stderr);
  assert.deepEqual(JSON.parse(record.stdout), {
    class: 'flow.ts#Box',
    type: 'Box',
    nested: [
      { path: ['list', 0], class: 'lib/shapes.ts#Square' },
      { path: ['list', 1], class: 'lib/shapes.ts#Square' },
    ],
  });
}

describe("classes the project's code does not export, as artifacts", function () {
  this.timeout(180_000);

  it('CommonJS: instances of a class of the flow file, of a .ts module and of a .js module keep their methods', () => {
    const project = makeProject('classes-cjs', {
      'package.json': JSON.stringify({ name: 'classes-cjs', private: true }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: true } }),
      'flows/lib/shapes.ts': shapes,
      'flows/lib/counter.js': counterCjs,
      'flows/flow.ts': flow('CjsClassesFlow', ''),
      'record.cjs': boxRecord('CjsClassesFlow'),
    });
    assertKept(project, 'flows/flow.ts');
  });

  it('ESM ("type": "module"): the same with ./x.js imports', () => {
    const project = makeProject('classes-esm', {
      'package.json': JSON.stringify({ name: 'classes-esm', private: true, type: 'module' }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, skipLibCheck: true },
      }),
      'flows/lib/shapes.ts': shapes,
      'flows/lib/counter.js': counterEsm,
      'flows/flow.ts': flow('EsmClassesFlow', '.js'),
      'record.cjs': boxRecord('EsmClassesFlow'),
    });
    assertKept(project, 'flows/flow.ts');
  });
});
