// A refresh of the artifact types after an edit (as the language server's thread does, text after
// text in one process) asks TypeScript again only for the artifacts the edit can change, and gives
// the declarations a fresh generation of the same text gives: through a helper method, a function
// given `this`, another artifact, a join's inputs, a foreach's items, a module constant and a
// config's default file.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshTypes } from '../../analyzer';
import type { GeneratedTypes } from '../../analyzer';
import { writeTypesTsconfig } from '../support/tsconfig';

const FLOW = `import { FlowSpec, step, Inputs } from 'flowspec';

const BASE = 1;

function twice(f: EditedFlow) {
  return [f.seed, f.seed];
}

export class EditedFlow extends FlowSpec {
  @step start() {
    this.seed = 1;
    this.items = [1, 2, 3];
    this.next(this.a, this.b);
  }

  scaled() {
    return this.seed;
  }

  @step a() {
    this.fromHelper = this.scaled();
    this.copy = this.seed;
    this.copyOfCopy = this.copy;
    this.next(this.join);
  }

  @step b() {
    this.pair = twice(this);
    this.next(this.join);
  }

  @step join(inputs: Inputs) {
    this.followed = inputs.a.copy;
    this.next(this.each, { foreach: 'items' });
  }

  @step each() {
    this.item = this.input.valueOf();
    this.next(this.collect);
  }

  @step collect(inputs: Inputs) {
    this.count = 1;
    this.unrelated = 'x';
    this.next(this.end);
  }

  @step end() {
    this.constant = BASE;
  }
}
`;

const CONFIG_FLOW = `import { Config, FlowSpec, step } from 'flowspec';

export class ConfiguredFlow extends FlowSpec {
  cfg = Config('cfg', { default: 'settings.json' });

  @step start() {
    this.cpus = this.cfg.cpu;
    this.next(this.end);
  }

  @step end() {}
}
`;

/** A project folder holding `text` as flow.ts (`flowspec` resolving to the repo's runtime). */
function project(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowspec-types-refresh-'));
  writeTypesTsconfig(dir);
  writeFileSync(join(dir, 'flow.ts'), text);
  return dir;
}

function generated(file: string, text?: string): GeneratedTypes {
  const [r] = refreshTypes([file], { texts: text === undefined ? new Map() : new Map([[file, text]]) });
  return r.results[0];
}

/** `name: type` of each typed artifact. */
function types(g: GeneratedTypes): Record<string, string | undefined> {
  return Object.fromEntries(g.flows.flatMap((f) => f.artifacts.map((a) => [a.name, a.type])));
}

describe('artifact types refreshed after an edit', function () {
  this.timeout(120_000);
  const file = join(project(FLOW), 'flow.ts');
  let text = FLOW;

  /** Refreshes the edited text; its declarations are those of a fresh generation (another folder, nothing kept). */
  function edit(from: string, to: string): GeneratedTypes {
    assert.ok(text.includes(from), from);
    text = text.replace(from, to);
    const refreshed = generated(file, text);
    const fresh = generated(join(project(text), 'flow.ts'));
    assert.equal(refreshed.text, fresh.text);
    return refreshed;
  }

  before(() => generated(file, text));

  it('a new type reaches what reads the artifact, and only that is checked again', () => {
    const g = edit('this.seed = 1;', "this.seed = 'one';");
    const t = types(g);
    for (const name of ['seed', 'fromHelper', 'copy', 'copyOfCopy', 'followed']) assert.equal(t[name], 'string', name);
    assert.equal(t.pair, 'string[]');
    assert.deepEqual(
      g.rechecked.filter((a) => ['EditedFlow.constant', 'EditedFlow.count', 'EditedFlow.unrelated', 'EditedFlow.item'].includes(a)),
      [],
    );
  });

  it("a foreach's list: the item; a module constant: what it is assigned to; a helper's body: its callers", () => {
    assert.equal(types(edit('this.items = [1, 2, 3];', "this.items = ['a'];")).item, 'string');
    assert.equal(types(edit('const BASE = 1;', "const BASE = 'b';")).constant, 'string');
    assert.equal(types(edit('return this.seed;', 'return 2;')).fromHelper, 'number');
  });

  it("a config's default file edited: what reads the config gets its new type", () => {
    const dir = project(CONFIG_FLOW);
    const settings = join(dir, 'settings.json');
    writeFileSync(settings, '{ "cpu": 4 }');
    const flow = join(dir, 'flow.ts');
    assert.equal(types(generated(flow, CONFIG_FLOW)).cpus, 'number');
    writeFileSync(settings, '{ "cpu": "four" }');
    const refreshed = generated(flow, CONFIG_FLOW);
    assert.equal(types(refreshed).cpus, 'string');
    const fresh = project(CONFIG_FLOW);
    writeFileSync(join(fresh, 'settings.json'), '{ "cpu": "four" }');
    assert.equal(refreshed.text, generated(join(fresh, 'flow.ts')).text);
  });

  it('an edit that changes no type checks only the step edited, and what reads a join input or gives `this` away', () => {
    const g = edit("this.unrelated = 'x';", "this.unrelated = 'x';\n    console.log(this.count);");
    assert.deepEqual(g.rechecked, ['EditedFlow.count', 'EditedFlow.followed', 'EditedFlow.pair', 'EditedFlow.unrelated']);
  });
});
