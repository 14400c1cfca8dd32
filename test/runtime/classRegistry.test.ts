// The code package's class registry: classes by `file#Class`, and the export names older records hold.
import { strict as assert } from 'node:assert';
import { ClassRegistry } from '../../runtime/flowcode/load';

class Point {}
class OtherPoint {}
class Line {}

describe('the class registry of a code package', () => {
  const registry = new ClassRegistry();
  registry.add('flow.ts', { Point, Line });
  registry.add('lib/geometry.ts', { Point: OtherPoint });

  it('finds a class by its file and name, and names a class by them', () => {
    assert.equal(registry.classOf('flow.ts#Point'), Point);
    assert.equal(registry.classOf('lib/geometry.ts#Point'), OtherPoint);
    assert.equal(registry.keyOf(Line), 'flow.ts#Line');
    assert.equal(registry.classOf('flow.ts#Circle'), undefined);
  });

  it('finds the one class of a name an older record holds, and none where two files declare it', () => {
    assert.equal(registry.classOf('Line'), Line);
    assert.equal(registry.classOf('Point'), undefined);
  });
});
