// Class instances as artifacts. Node's serializer keeps an instance's own fields but not its class,
// so `this.point = new Point(1, 2)` would come back as a plain object and `this.point.norm()` fail
// in a later step, far from the cause. Metaflow pickles instances with their class; here the class
// is recorded by its key in the code package's class registry (`file#Class`: every top-level class
// of the project's sources, exported or not; load.ts), and a task that reads the artifact gives the
// value that prototype back — also to instances inside arrays, objects and other instances,
// recorded by their path. An instance of a class the registry lacks (one declared inside a
// function, or from an npm package), or one held in a Map or Set (whose entries have no path),
// cannot be restored: storing it says so, once per artifact, and its recorded type says `plain object`.
import type { ArtifactInfo, NestedClass } from '../datastore/artifacts';
import type { ClassRegistry } from '../flowcode/load';

/** Prototypes Node's serializer restores by itself. */
const BUILTIN_PROTOTYPES = new Set<unknown>([
  null,
  Object.prototype,
  Array.prototype,
  Map.prototype,
  Set.prototype,
  Date.prototype,
  RegExp.prototype,
  ArrayBuffer.prototype,
  DataView.prototype,
  Error.prototype,
  Buffer.prototype,
  Boolean.prototype,
  Number.prototype,
  String.prototype,
  BigInt.prototype,
]);
const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Uint8Array.prototype);

function isClassInstance(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (BUILTIN_PROTOTYPES.has(proto) || value instanceof Error || Object.getPrototypeOf(proto) === TYPED_ARRAY_PROTOTYPE) return false;
  return true;
}

/** The registry's key for the value's class, when the value is an instance of a registered class. */
export function registeredClassOf(value: unknown, classes: ClassRegistry): string | undefined {
  if (!isClassInstance(value)) return undefined;
  return classes.keyOf(Object.getPrototypeOf(value)?.constructor);
}

/** Gives a stored value, and the instances inside it, the prototypes of the classes they were recorded with. */
export function restoreClasses(value: unknown, info: Pick<ArtifactInfo, 'class' | 'nestedClasses'>, classes: ClassRegistry): unknown {
  setClass(value, info.class, classes);
  for (const nested of info.nestedClasses ?? []) {
    let at: unknown = value;
    for (const key of nested.path) at = typeof at === 'object' && at !== null ? (at as Record<string | number, unknown>)[key] : undefined;
    setClass(at, nested.class, classes);
  }
  return value;
}

/** Gives one value the prototype of a registered class, when the code still has it. */
function setClass(value: unknown, key: string | undefined, classes: ClassRegistry): void {
  const cls = key !== undefined ? classes.classOf(key) : undefined;
  if (cls && typeof value === 'object' && value !== null) Object.setPrototypeOf(value, cls.prototype);
}

/** Walks at most this many values looking for nested instances (a large array of numbers stops early). */
const WALK_LIMIT = 10_000;

type Path = NestedClass['path'];

interface ClassesInside {
  /** Instances of registered classes reachable by keys and indices: recorded, restored by a later task. */
  kept: NestedClass[];
  /** Classes whose instances cannot be restored (not registered, or held in a Map or Set). */
  lost: string[];
}

/** The class instances inside `value` (not `value` itself), found breadth first without recursion. */
export function classesInside(value: unknown, classes: ClassRegistry): ClassesInside {
  const kept: NestedClass[] = [];
  const lost = new Set<string>();
  const seen = new Set<object>();
  // `path` is undefined inside a Map or Set, whose entries have no key to record.
  const todo: Array<{ value: object; path?: Path }> = [];
  let budget = WALK_LIMIT;
  /** Queues a child (its path is built only for an object); false once the budget is spent. */
  const visit = (child: unknown, parent: Path | undefined, key?: string | number): boolean => {
    if (budget-- <= 0) return false;
    if (typeof child === 'object' && child !== null)
      todo.push({ value: child, path: parent && key !== undefined ? [...parent, key] : undefined });
    return true;
  };
  // Children are visited lazily, so a large array stops at the budget without being copied.
  const pushChildren = (v: object, path: Path | undefined) => {
    if (ArrayBuffer.isView(v)) return;
    if (v instanceof Map) {
      for (const c of v.keys()) if (!visit(c, undefined)) return;
      for (const c of v.values()) if (!visit(c, undefined)) return;
    } else if (v instanceof Set) {
      for (const c of v) if (!visit(c, undefined)) return;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!visit(v[i], path, i)) return;
    } else {
      for (const key of Object.keys(v)) if (!visit((v as Record<string, unknown>)[key], path, key)) return;
    }
  };
  if (typeof value === 'object' && value !== null) pushChildren(value, []);
  // Breadth first (a queue read by index), so an instance gets its shortest path.
  for (let next = 0; next < todo.length; next++) {
    const { value: v, path } = todo[next];
    if (seen.has(v)) continue;
    seen.add(v);
    if (isClassInstance(v)) {
      const key = registeredClassOf(v, classes);
      if (key !== undefined && path) kept.push({ path, class: key });
      else lost.add(Object.getPrototypeOf(v)?.constructor?.name || 'anonymous class');
    }
    pushChildren(v, path);
  }
  return { kept, lost: [...lost] };
}

/** The warning for a value whose class, or the classes of instances inside it, cannot be kept; or undefined. */
export function lostClassWarning(artifact: string, value: unknown, key: string | undefined, lostInside: string[]): string | undefined {
  const own =
    isClassInstance(value) && key === undefined ? Object.getPrototypeOf(value)?.constructor?.name || 'anonymous class' : undefined;
  if (own)
    return `artifact '${artifact}' is an instance of class ${own}, which is not a top-level class of the project's files: it is stored as a plain object and its methods are lost (declare the class at the top level of a file of the project to keep them)`;
  if (lostInside.length)
    return `artifact '${artifact}' holds instances of ${lostInside.join(', ')} that cannot keep their class (a class that is not at the top level of a file of the project, or an instance held in a Map or Set): they are stored as plain objects and their methods are lost`;
  return undefined;
}
