// Typed artifacts in a user's project, installed from the packed package: `tsc --noEmit` reports an
// artifact used as the wrong type once flowspec has generated the declarations, and passes once the
// flow is fixed; the same in a project of one's own tsconfig that adds the folder to `include`.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../support/wait';
import { flowspec, makeProject, typecheck } from './support/projects';

/** Replaces `from` (which must be there) in a project's file. */
function edit(project: string, file: string, from: string, to: string): void {
  const path = join(project, file);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.includes(from), `${file} holds ${from}`);
  writeFileSync(path, text.replace(from, to));
}

describe('typed artifacts in tsc', function () {
  this.timeout(300_000);

  it('a project made by `flowspec init`: tsc reports this.total.toFixed() on a string artifact, and passes once fixed', async () => {
    const project = makeProject('typed-init', {});
    const init = flowspec(project, ['init']);
    assert.equal(init.code, 0, init.stderr);
    const typecheckScript = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')).scripts.typecheck;
    assert.equal(typecheckScript, 'flowspec types && tsc --noEmit');

    const types = flowspec(project, ['types']);
    assert.equal(types.code, 0, types.stderr);
    assert.equal(types.stderr, '', 'the scaffold includes the folder: no note');
    assert.match(types.stdout, /^\.flowspec-types: 1 flow file, \d+ typed artifacts \(1 file updated\)\n$/);
    const declarations = readFileSync(join(project, '.flowspec-types/flows/hello.d.ts'), 'utf8');
    assert.match(declarations, /declare module '\.\.\/\.\.\/flows\/hello\.js' \{\n {2}interface HelloFlow \{/);
    assert.match(declarations, /\n {4}total: number;\n/);
    assert.match(declarations, /\n {4}people: string\[\];\n/);
    let tsc = typecheck(project);
    assert.equal(tsc.code, 0, tsc.stdout);
    // A run caches its pre-run check of this text; the run after the undo below hits that cache.
    const first = flowspec(project, ['run', 'flows/hello.ts']);
    assert.equal(first.code, 0, first.stdout + first.stderr);

    // `total` becomes a string, which `count` then uses as a number. check refreshes the declarations.
    edit(
      project,
      'flows/hello.ts',
      'this.total = this.messages.length;',
      'this.total = `${this.messages.length}`;\n    console.log(this.total.toFixed(2));',
    );
    const check = flowspec(project, ['check', 'flows/hello.ts']);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(readFileSync(join(project, '.flowspec-types/flows/hello.d.ts'), 'utf8'), /\n {4}total: string;\n/);
    tsc = typecheck(project);
    assert.equal(tsc.code, 2, tsc.stdout);
    assert.match(tsc.stdout, /flows\/hello\.ts\(\d+,\d+\): error TS2551: Property 'toFixed' does not exist on type 'string'/);

    edit(project, 'flows/hello.ts', 'this.total = `${this.messages.length}`;', 'this.total = this.messages.length;');
    const run = flowspec(project, ['run', 'flows/hello.ts']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    // The run refreshes them in the background, though its check of this text was cached.
    await waitFor(
      'the run to refresh total: number',
      () => /\n {4}total: number;\n/.test(readFileSync(join(project, '.flowspec-types/flows/hello.d.ts'), 'utf8')),
      180_000,
    );
    tsc = typecheck(project);
    assert.equal(tsc.code, 0, tsc.stdout);
  });

  it('a Config with no annotation is typed from its default file: tsc reports this.cfg.cpu.toFixed on a string cpu, and passes once the file says a number', () => {
    const project = makeProject('typed-config', {});
    assert.equal(flowspec(project, ['init']).code, 0);
    writeFileSync(
      join(project, 'flows/sized.ts'),
      `import { Config, FlowSpec, step } from 'flowspec';

export class SizedFlow extends FlowSpec {
  cfg = Config('cfg', { default: 'sized.json' });

  @step start() {
    console.log(this.cfg.cpu.toFixed(1), this.cfg.model.name.toUpperCase());
    this.next(this.end);
  }
  @step end() {}
}
`,
    );
    writeFileSync(join(project, 'flows/sized.json'), '{ "cpu": "four", "model": { "name": "small" } }\n');
    const check = flowspec(project, ['check', 'flows/sized.ts']);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    let tsc = typecheck(project);
    assert.equal(tsc.code, 2, tsc.stdout);
    assert.match(tsc.stdout, /flows\/sized\.ts\(7,\d+\): error TS2551: Property 'toFixed' does not exist on type 'string'/);

    // Only the config file changes: check sees the declarations stale and rewrites them.
    edit(project, 'flows/sized.json', '"cpu": "four"', '"cpu": 4');
    assert.equal(flowspec(project, ['check', 'flows/sized.ts']).code, 0);
    assert.match(readFileSync(join(project, '.flowspec-types/flows/sized.d.ts'), 'utf8'), /\{ cpu: number; model: \{ name: string \} \}/);
    tsc = typecheck(project);
    assert.equal(tsc.code, 0, tsc.stdout);
  });

  it('a second project made by `flowspec init` gets its own declarations from its first run (the same relative path is another file)', async () => {
    const declarations = (project: string) => join(project, '.flowspec-types/flows/hello.d.ts');
    const [first, second] = ['typed-twin-a', 'typed-twin-b'].map((name) => makeProject(name, {}));
    for (const project of [first, second]) {
      const init = flowspec(project, ['init']);
      assert.equal(init.code, 0, init.stderr);
      const run = flowspec(project, ['run', 'flows/hello.ts']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      await waitFor(`${declarations(project)} written by the run (in the background)`, () => existsSync(declarations(project)), 180_000);
    }
  });

  it("a project with its own tsconfig (NodeNext, include: src and .flowspec-types): foreach items, join inputs and a user's field", () => {
    const project = makeProject('typed-own', {
      'package.json': JSON.stringify({ name: 'typed-own', private: true, type: 'module' }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['src', '.flowspec-types/**/*'],
      }),
      'src/shapes.ts': 'export interface Row { id: number; label: string }\n',
      'src/flow.ts': `import { FlowSpec, Inputs, step } from 'flowspec';
import type { Row } from './shapes.js';

export class RowsFlow extends FlowSpec {
  note!: string;

  @step start() {
    this.rows = [{ id: 1, label: 'a' }, { id: 2, label: 'b' }] as Row[];
    this.note = 'declared by the user';
    this.next(this.each, { foreach: 'rows' });
  }
  @step each() {
    this.label = this.input.label.toUpperCase();
    this.next(this.join);
  }
  @step join(inputs: Inputs<this>) {
    this.labels = [...inputs].map((i) => i.label);
    this.next(this.split);
  }
  @step split() {
    this.next(this.a, this.b);
  }
  @step a() {
    this.size = this.labels.length;
    this.next(this.meet);
  }
  @step b() {
    this.first = this.labels[0];
    this.next(this.meet);
  }
  @step meet(inputs: Inputs<this>) {
    const size: number = inputs.a.size;
    const first: string = inputs.b.first;
    this.report = \`\${size} \${first}\`;
    this.next(this.end);
  }
  @step end() {
    console.log(this.report, this.note);
  }
}
`,
    });
    assert.equal(flowspec(project, ['types']).code, 0);
    assert.ok(existsSync(join(project, '.flowspec-types/src/flow.d.ts')));
    const declarations = readFileSync(join(project, '.flowspec-types/src/flow.d.ts'), 'utf8');
    assert.doesNotMatch(declarations, /\bnote:/, "the user's own field is left alone");
    assert.match(declarations, /\n {4}rows: import\("\.\.\/\.\.\/src\/shapes\.js"\)\.Row\[\];\n/, 'a type of another module, imported');
    let tsc = typecheck(project);
    assert.equal(tsc.code, 0, tsc.stdout);

    // The foreach item is a Row: a number where a string is expected is an error.
    edit(project, 'src/flow.ts', 'this.label = this.input.label.toUpperCase();', 'this.label = this.input.id.toUpperCase();');
    assert.equal(flowspec(project, ['types', 'src/flow.ts']).code, 0);
    tsc = typecheck(project);
    assert.equal(tsc.code, 2, tsc.stdout);
    assert.match(tsc.stdout, /src\/flow\.ts\(\d+,\d+\): error TS2339: Property 'toUpperCase' does not exist on type 'number'/);
  });

  it('without .flowspec-types in its include, `flowspec types` says the one line to add', () => {
    const project = makeProject('typed-note', {
      'package.json': JSON.stringify({ name: 'typed-note', private: true }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: true } }),
      'flow.ts': `import { FlowSpec, step } from 'flowspec';\nexport class NoteFlow extends FlowSpec {\n  @step start() { this.n = 1; this.next(this.end); }\n  @step end() {}\n}\n`,
    });
    const r = flowspec(project, ['types']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      'note: tsconfig.json does not include .flowspec-types: add ".flowspec-types/**/*" to its "include" (with "**/*" when it has none) so tsc sees these types (the editor with the FlowSpec extension does already)\n',
    );
  });
});
