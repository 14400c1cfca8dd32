// Artifact values: cycles are stored and read back with the cycle, class instances keep their class
// (or say they cannot), and FlowSpec's own members cannot be assigned as artifacts.
import { strict as assert } from 'node:assert';
import { Flow } from '../../runtime/client';
import { cli, freshRoot, project } from './support';

const VALUES = `import { FlowSpec, step } from 'flowspec';
export class Point {
  constructor(public x: number, public y: number) {}
  norm() { return Math.hypot(this.x, this.y); }
}
class Hidden { constructor(public v: number) {} twice() { return this.v * 2; } }

export class ValuesFlow extends FlowSpec {
  @step start() {
    const root: any = { name: 'root', children: [] };
    const leaf: any = { name: 'leaf', parent: root };
    root.children.push(leaf);
    this.tree = root;
    this.point = new Point(3, 4);
    this.hidden = new Hidden(5);
    this.next(this.use);
  }
  @step use() {
    this.sameTree = this.tree.children[0].parent === this.tree;
    this.norm = this.point.norm();
    this.hiddenHasMethod = typeof this.hidden.twice === 'function';
    this.next(this.end);
  }
  @step end() {}
}
`;

describe('faults: artifact values', () => {
  it('a tree with parent pointers is stored, previewed and read back with its cycle; an exported class keeps its methods; an unexported one says it cannot', () => {
    const dir = project({ 'flow.ts': VALUES });
    const root = freshRoot();
    const r = cli(['run', 'flow.ts'], root, dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /warning: artifact 'hidden' is an instance of class Hidden, which the flow file does not export: it is stored as a plain object and its methods are lost/,
    );
    const run = new Flow('ValuesFlow', { root }).run(1);
    const use = run.step('use').task!;
    assert.equal(use.data.sameTree, true);
    assert.equal(use.data.norm, 5);
    assert.equal(use.data.hiddenHasMethod, false);
    const start = run.step('start').task!;
    assert.match(start.artifacts.tree.preview, /\[Circular\]/);
    const tree = start.data.tree;
    assert.equal(tree.children[0].parent, tree);
    assert.equal(start.artifacts.point.type, 'Point');
    assert.equal(start.artifacts.point.class, 'Point');
    assert.equal(start.artifacts.hidden.type, 'Hidden (stored as a plain object)');
    const dump = cli(['dump', 'ValuesFlow/1/start/1'], root, dir);
    assert.equal(dump.code, 0, dump.stderr);
    assert.match(dump.stdout, /tree \(Object\): .*\[Circular/);
  });

  it('assigning a FlowSpec member or a step as an artifact fails the step at the assignment, naming it', () => {
    // The name is computed, so only the runtime can see it (the pre-run check passes).
    const flow = `import { FlowSpec, step } from 'flowspec';
export class MemberFlow extends FlowSpec {
  @step start() { (this as any)[process.env.MEMBER!] = 1; this.next(this.end); }
  @step end() {}
}
`;
    const dir = project({ 'flow.ts': flow });
    const root = freshRoot();
    for (const [member, what] of [
      ['foreachStack', 'a FlowSpec member'],
      ['end', 'a step of this flow'],
    ]) {
      const r = cli(['run', 'flow.ts'], root, dir, { MEMBER: member });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`Step 'start' failed .*: TypeError: '${member}' is ${what} and cannot be an artifact`));
    }
  });

  it('the analyzer flags the same assignment written out', () => {
    const dir = project({
      'flow.ts': `import { FlowSpec, step } from 'flowspec';
export class MemberFlow extends FlowSpec {
  @step start() { this.foreachStack = 1; this.next(this.end); }
  @step end() {}
}
`,
    });
    const r = cli(['check', 'flow.ts'], freshRoot(), dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /reserved-name.*'foreachStack' is a FlowSpec member and cannot be an artifact name/);
  });
});
