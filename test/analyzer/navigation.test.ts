// Artifact navigation in the analyzer: the name at a cursor, the assignments that reach it, every
// occurrence across the flow (strings included) and the edits of a rename. Document in, ranges out.
import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, definitionsAt, referencesAt, renameEdits, RenameRefused, renameRangeAt, Range } from '../../analyzer';

const FLOW = `import { FlowSpec, step, Parameter, Inputs } from 'flowspec';
export class NavFlow extends FlowSpec {
  rate = Parameter('rate', { default: 0.5 });
  model!: { w: number[] };
  @step start() { this.items = [1, 2]; this.mode = 'fast'; this.next(this.a, this.b); }
  @step a() { this.x = this.items.length * this.rate; this.next(this.j); }
  @step b() { this.x = 2; this.next(this.j); }
  @step j(inputs: Inputs) { this.xs = [inputs.a.x, inputs.b.x]; this.mergeArtifacts(inputs, { include: ['mode', 'items'] }); this.next(this.f, { foreach: 'items' }); }
  @step f() { this.sq = this.input * 2; this.next(this.fj); }
  @step fj(inputs: Inputs) { this.sqs = inputs.map((i) => i.sq); this.mergeArtifacts(inputs, { exclude: ['sq'] }); this.next(this.sw); }
  @step sw() { if (this.xs.length) this.model = { w: this.sqs }; else this.model = { w: [] }; this.next({ fast: this.end, slow: this.end }, { condition: 'mode' }); }
  @step end() { const { mode } = this; console.log(this.model.w, mode); }
}
`;

const doc = TextDocument.create('file:///nav.ts', 'typescript', 1, FLOW);
const result = analyzeText('/nav.ts', FLOW);

/** The position `delta` characters into the `nth` occurrence of `search`. */
function at(search: string, delta = 0, nth = 0) {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = FLOW.indexOf(search, i + 1);
  assert.ok(i >= 0, search);
  return doc.positionAt(i + delta);
}

/** Each range as `line:text` (the text it covers). */
const show = (ranges: Range[]) => ranges.map((r) => `${r.start.line}:${doc.getText(r)}`);

describe('artifact navigation (analyzer)', () => {
  it('has a flow without diagnostics to navigate', () => {
    assert.deepEqual(result.diagnostics, []);
  });

  it('goes from a read to the assignments that reach it, through branches, joins and merges', () => {
    // `this.model` in end: both assignments of sw.
    assert.deepEqual(show(definitionsAt(result, FLOW, at('this.model.w', 6))), ['10:model', '10:model']);
    // inputs.a.x: only branch a's assignment; inputs.b.x: only b's.
    assert.deepEqual(definitionsAt(result, FLOW, at('inputs.a.x', 9)), [{ start: at('this.x = this', 5), end: at('this.x = this', 6) }]);
    assert.deepEqual(definitionsAt(result, FLOW, at('inputs.b.x', 9)), [{ start: at('this.x = 2', 5), end: at('this.x = 2', 6) }]);
    // i.sq in a foreach join: the foreach step's assignment.
    assert.deepEqual(show(definitionsAt(result, FLOW, at('i.sq', 2))), ['8:sq']);
    // The strings: foreach, condition, include, exclude.
    assert.deepEqual(show(definitionsAt(result, FLOW, at("foreach: 'items'", 11))), ['4:items']);
    assert.deepEqual(show(definitionsAt(result, FLOW, at("condition: 'mode'", 13))), ['4:mode']);
    assert.deepEqual(show(definitionsAt(result, FLOW, at("['mode'", 3))), ['4:mode']);
    assert.deepEqual(show(definitionsAt(result, FLOW, at("['sq'", 3))), ['8:sq']);
    // A destructured read, and a parameter (its field).
    assert.deepEqual(show(definitionsAt(result, FLOW, at('{ mode }', 3))), ['4:mode']);
    assert.deepEqual(show(definitionsAt(result, FLOW, at('this.rate', 6))), ['2:rate']);
  });

  it('finds every occurrence of an artifact across the steps, strings and the declared field included', () => {
    assert.deepEqual(
      referencesAt(result, FLOW, at('this.model.w', 6)).map((o) => `${o.range.start.line}:${o.role}`),
      ['3:field', '10:assign', '10:assign', '11:read'],
    );
    assert.deepEqual(
      referencesAt(result, FLOW, at("condition: 'mode'", 13)).map((o) => `${o.range.start.line}:${o.role}`),
      ['4:assign', '7:merge', '10:condition', '11:read'],
    );
    assert.deepEqual(referencesAt(result, FLOW, at('this.rate', 6)), [], 'parameters are TypeScript fields: its own references');
  });

  it('renames across the flow, strings and destructuring included', () => {
    assert.deepEqual(renameRangeAt(result, FLOW, at("'mode'", 2)), { start: at("'mode'", 1), end: at("'mode'", 5) });
    assert.equal(renameRangeAt(result, FLOW, at('this.rate', 6)), undefined);
    assert.equal(renameRangeAt(result, FLOW, at('console', 2)), undefined);
    const edits = renameEdits(result, FLOW, at('this.mode =', 6), 'speed');
    const renamed = TextDocument.applyEdits(doc, edits);
    assert.match(renamed, /this\.speed = 'fast'/);
    assert.match(renamed, /include: \['speed', 'items'\]/);
    assert.match(renamed, /condition: 'speed'/);
    assert.match(renamed, /const \{ speed: mode \} = this/);
    assert.doesNotMatch(renamed, /'mode'|this\.mode\b/);
    assert.deepEqual(analyzeText('/renamed.ts', renamed).diagnostics, []);
  });

  it('refuses a rename to a name that is taken or not an identifier', () => {
    const refused = (name: string) =>
      assert.throws(
        () => renameEdits(result, FLOW, at('this.mode =', 6), name),
        (e: Error) => e instanceof RenameRefused && e.message.includes(name),
      );
    refused('items');
    refused('rate');
    refused('end');
    refused('next');
    refused('two words');
  });
});
