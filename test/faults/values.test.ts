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
function local() {
  class Local { constructor(public v: number) {} twice() { return this.v * 2; } }
  return new Local(6);
}

export class ValuesFlow extends FlowSpec {
  @step start() {
    const root: any = { name: 'root', children: [] };
    const leaf: any = { name: 'leaf', parent: root };
    root.children.push(leaf);
    this.tree = root;
    this.point = new Point(3, 4);
    this.hidden = new Hidden(5);
    this.local = local();
    this.next(this.use);
  }
  @step use() {
    this.sameTree = this.tree.children[0].parent === this.tree;
    this.norm = this.point.norm();
    this.hiddenTwice = this.hidden.twice();
    this.localHasMethod = typeof this.local.twice === 'function';
    this.next(this.end);
  }
  @step end() {}
}
`;

describe('faults: artifact values', () => {
  it('a tree with parent pointers is stored, previewed and read back with its cycle; a top-level class keeps its methods, exported or not; one declared in a function says it cannot', () => {
    const dir = project({ 'flow.ts': VALUES });
    const root = freshRoot();
    const r = cli(['run', 'flow.ts'], root, dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /warning: artifact 'local' is an instance of class Local, which is not a top-level class of the project's files: it is stored as a plain object and its methods are lost/,
    );
    const run = new Flow('ValuesFlow', { root }).run(1);
    const use = run.step('use').task!;
    assert.equal(use.data.sameTree, true);
    assert.equal(use.data.norm, 5);
    assert.equal(use.data.hiddenTwice, 10);
    assert.equal(use.data.localHasMethod, false);
    const start = run.step('start').task!;
    assert.match(start.artifacts.tree.preview, /\[Circular\]/);
    const tree = start.data.tree;
    assert.equal(tree.children[0].parent, tree);
    assert.equal(start.artifacts.point.type, 'Point');
    assert.equal(start.artifacts.point.class, 'flow.ts#Point');
    assert.equal(start.artifacts.hidden.class, 'flow.ts#Hidden');
    assert.equal(start.artifacts.local.type, 'Local (stored as a plain object)');
    const dump = cli(['dump', 'ValuesFlow/1/start/1'], root, dir);
    assert.equal(dump.code, 0, dump.stderr);
    assert.match(dump.stdout, /tree \(Object\): .*\[Circular/);
  });

  it('instances inside arrays, objects and other instances keep their class, in the next step and through a join; one in a Map says it cannot', () => {
    const flow = `import { FlowSpec, Inputs, step } from 'flowspec';
export class Point {
  constructor(public x: number, public y: number) {}
  norm() { return Math.hypot(this.x, this.y); }
}
export class Segment {
  constructor(public a: Point, public b: Point) {}
  length() { return Math.hypot(this.b.x - this.a.x, this.b.y - this.a.y) + 0 * this.a.norm(); }
}
export class NestedFlow extends FlowSpec {
  @step start() {
    this.points = [new Point(3, 4), new Point(6, 8)];
    this.named = { deep: { p: new Point(5, 12) } };
    this.segment = new Segment(new Point(0, 0), new Point(3, 4));
    this.inMap = new Map([['p', new Point(1, 1)]]);
    this.next(this.use, this.other);
  }
  @step use() {
    this.norms = this.points.map((p) => p.norm());
    this.deepNorm = this.named.deep.p.norm();
    this.segmentLength = this.segment.length();
    this.mapHasMethod = typeof this.inMap.get('p').norm === 'function';
    this.next(this.join);
  }
  @step other() { this.next(this.join); }
  @step join(inputs: Inputs) {
    this.joinNorms = inputs.use.points.map((p) => p.norm());
    this.joinLength = inputs.other.segment.length();
    this.next(this.end);
  }
  @step end() {}
}
`;
    const dir = project({ 'flow.ts': flow });
    const root = freshRoot();
    const r = cli(['run', 'flow.ts'], root, dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('warning'));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0], /artifact 'inMap' holds instances of Point that cannot keep their class \(.*held in a Map or Set\)/);
    const run = new Flow('NestedFlow', { root }).run(1);
    const use = run.step('use').task!;
    assert.deepEqual(use.data.norms, [5, 10]);
    assert.equal(use.data.deepNorm, 13);
    assert.equal(use.data.segmentLength, 5);
    assert.equal(use.data.mapHasMethod, false);
    const join = run.step('join').task!;
    assert.deepEqual(join.data.joinNorms, [5, 10]);
    assert.equal(join.data.joinLength, 5);
    assert.deepEqual(run.step('start').task!.artifacts.points.nestedClasses, [
      { path: [0], class: 'flow.ts#Point' },
      { path: [1], class: 'flow.ts#Point' },
    ]);
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
