// Quick fixes: document in, edits out; the fixed document loses the diagnostic.
import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver';
import { analyzeText } from '../../analyzer';
import { quickFixes } from '../../server/services/codeActions';

const URI = 'file:///fix.ts';
const ALL = { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } };

function fixes(text: string) {
  return quickFixes(URI, text, analyzeText('/fix.ts', text), ALL);
}

function apply(text: string, action: CodeAction): string {
  const doc = TextDocument.create(URI, 'typescript', 1, text);
  return TextDocument.applyEdits(doc, action.edit!.changes![URI]);
}

function fix(text: string, title: string | RegExp): string {
  const all = fixes(text);
  const action = all.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
  assert.ok(action, `no fix '${title}' among: ${all.map((a) => a.title).join(' | ')}`);
  return apply(text, action);
}

const codes = (text: string) => analyzeText('/fix.ts', text).diagnostics.map((d) => d.code);

describe('quick fixes', () => {
  it('adds a missing end step', () => {
    const text = `import { FlowSpec, step } from 'flowspec';
class F extends FlowSpec {
  @step start() { this.next(this.end); }
}
`;
    const out = fix(text, "Add an 'end' step");
    assert.equal(
      out,
      `import { FlowSpec, step } from 'flowspec';
class F extends FlowSpec {
  @step start() { this.next(this.end); }

  @step end() {}
}
`,
    );
    assert.deepEqual(codes(out), []);
  });

  it('makes a step a join: inputs parameter and import', () => {
    const text = `import { FlowSpec, step } from 'flowspec';
class F extends FlowSpec {
  @step start() { this.next(this.a, this.b); }
  @step a() { this.next(this.join); }
  @step b() { this.next(this.join); }
  @step join() { this.next(this.end); }
  @step end() {}
}
`;
    const out = fix(text, /add 'inputs: Inputs'/);
    assert.ok(out.startsWith("import { FlowSpec, step, Inputs } from 'flowspec';"));
    assert.ok(out.includes('@step join(inputs: Inputs) { this.next(this.end); }'));
    assert.deepEqual(codes(out), []);
  });

  const branchy = `import { FlowSpec, step, Inputs } from 'flowspec';
class F extends FlowSpec {
  @step start() { this.next(this.a, this.b); }
  @step a() { this.x = 1; this.next(this.join); }
  @step b() { this.x = 2; this.next(this.join); }
  @step join(inputs: Inputs) {
    this.next(this.end);
  }
  @step end() { console.log(this.x); }
}
`;

  it('assigns an ambiguous artifact from one branch', () => {
    const out = fix(branchy, "Assign 'x' from branch 'a' in 'join'");
    assert.ok(
      out.includes(`  @step join(inputs: Inputs) {
    this.x = inputs.a.x;
    this.next(this.end);`),
      out,
    );
    assert.deepEqual(codes(out), []);
  });

  it('merges artifacts in the join', () => {
    const text = branchy.replace('this.x = 2; ', '');
    const out = fix(text, "Call this.mergeArtifacts(inputs) in 'join'");
    assert.ok(out.includes('    this.mergeArtifacts(inputs);\n    this.next(this.end);'));
    assert.deepEqual(codes(out), []);
  });

  it('collects an artifact of a foreach from every input', () => {
    const text = `import { FlowSpec, step, Inputs } from 'flowspec';
class F extends FlowSpec {
  @step start() { this.xs = [1, 2]; this.next(this.each, { foreach: 'xs' }); }
  @step each() { this.y = this.input; this.next(this.join); }
  @step join(inputs: Inputs) { this.next(this.end); }
  @step end() { console.log(this.y); }
}
`;
    const out = fix(text, "Collect 'y' from every input in 'join'");
    assert.ok(out.includes('@step join(inputs: Inputs) { this.y = [...inputs].map((input) => input.y); this.next(this.end); }'), out);
    assert.deepEqual(codes(out), []);
  });

  it('corrects a misspelt step name and foreach target', () => {
    const text = `import { FlowSpec, step, Inputs } from 'flowspec';
class F extends FlowSpec {
  @step start() { this.items = [1]; this.next(this.each, { foreach: "itmes" }); }
  @step each() { this.next(this.jion); }
  @step join(inputs: Inputs) { this.next(this.end); }
  @step end() {}
}
`;
    let out = fix(text, "Change to 'join'");
    out = fix(out, "Change to 'items'");
    assert.ok(out.includes('this.next(this.join)'));
    assert.ok(out.includes('{ foreach: "items" }'));
    assert.deepEqual(codes(out), []);
  });

  it('corrects a misspelt artifact read', () => {
    const text = `import { FlowSpec, step } from 'flowspec';
class F extends FlowSpec {
  @step start() { this.playlist = ['a']; this.next(this.end); }
  @step end() { console.log(this.playlsit.length); }
}
`;
    const out = fix(text, "Change to 'playlist'");
    assert.ok(out.includes('console.log(this.playlist.length)'));
    assert.deepEqual(codes(out), []);
  });

  it('offers nothing for codes without a fix, or outside the range', () => {
    const text = `import { FlowSpec, step } from 'flowspec';
class F extends FlowSpec {
  @step start() { this.next(this.end); }
  @step orphan() { this.next(this.end); }
  @step end() {}
}
`;
    assert.deepEqual(fixes(text), []);
  });
});
