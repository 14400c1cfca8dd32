// Class instances as artifacts. Node's serializer keeps an instance's own fields but not its class,
// so `this.point = new Point(1, 2)` would come back as a plain object and `this.point.norm()` fail
// in a later step, far from the cause. Metaflow pickles instances with their class; here the class
// is recorded by the name the flow's code package exports it under, and a task that reads the
// artifact gives the value that prototype back. An instance of a class the package does not export
// (or one nested inside another value) cannot be restored: storing it says so, once per artifact,
// and its recorded type says `plain object`.

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

/** The name `exports` gives the value's class, when the value is an instance of an exported class. */
export function exportedClassOf(value: unknown, exports: Record<string, unknown>): string | undefined {
  if (!isClassInstance(value)) return undefined;
  const ctor = Object.getPrototypeOf(value)?.constructor;
  return Object.keys(exports).find((name) => exports[name] === ctor);
}

/** Gives a stored value the prototype of the class it was recorded with, when the code still exports it. */
export function restoreClass(value: unknown, className: string | undefined, exports: Record<string, unknown>): unknown {
  const cls = className !== undefined ? exports[className] : undefined;
  if (typeof cls === 'function' && typeof value === 'object' && value !== null) Object.setPrototypeOf(value, cls.prototype);
  return value;
}

/** Walks at most this many values looking for nested instances (a large array of numbers stops early). */
const WALK_LIMIT = 10_000;

/** Class names of instances inside `value` (not `value` itself), found without recursion. */
export function nestedClassNames(value: unknown): string[] {
  const names = new Set<string>();
  const seen = new Set<object>();
  const todo: unknown[] = [];
  let budget = WALK_LIMIT;
  const pushChildren = (v: object) => {
    if (ArrayBuffer.isView(v)) return;
    const items: Iterable<unknown> =
      v instanceof Map ? [...v.keys(), ...v.values()] : v instanceof Set || Array.isArray(v) ? v : Object.values(v);
    for (const child of items) {
      if (budget-- <= 0) return;
      if (typeof child === 'object' && child !== null) todo.push(child);
    }
  };
  if (typeof value === 'object' && value !== null) pushChildren(value);
  while (todo.length) {
    const v = todo.pop() as object;
    if (seen.has(v)) continue;
    seen.add(v);
    if (isClassInstance(v)) names.add(Object.getPrototypeOf(v)?.constructor?.name || 'anonymous class');
    pushChildren(v);
  }
  return [...names];
}

/** The warning for a value whose class cannot be kept, or undefined. */
export function lostClassWarning(artifact: string, value: unknown, exported: string | undefined): string | undefined {
  const own =
    isClassInstance(value) && exported === undefined ? Object.getPrototypeOf(value)?.constructor?.name || 'anonymous class' : undefined;
  const nested = nestedClassNames(value);
  if (own)
    return `artifact '${artifact}' is an instance of class ${own}, which the flow file does not export: it is stored as a plain object and its methods are lost (export the class to keep them)`;
  if (nested.length)
    return `artifact '${artifact}' holds instances of ${nested.join(', ')}: nested class instances are stored as plain objects and their methods are lost`;
  return undefined;
}
