// Serialization of artifact values: Node's structured serializer (v8), made canonical (equal values,
// equal bytes: canonical.ts) and named by content hash.
// v8 keeps cycles and shared references; our own walks (preview) stop at a value they are already
// inside. A class instance is stored as its own fields: the class is recorded by its key (`class`, and
// `nestedClasses` for instances inside the value) so a task can give each its prototype back (see
// runtime/task/classes.ts).
import * as v8 from 'node:v8';
import { canonicalBytes } from './canonical';
import { sha256 } from './integrity';

export interface ArtifactInfo {
  /** sha256 of the serialized bytes: the blob's name in the datastore. Equal values have one (canonical.ts). */
  hash: string;
  /** Serialized size in bytes. */
  size: number;
  /** Short description of the value's type, e.g. `number`, `Array(3)`, `Map(2)`. */
  type: string;
  /** One-line preview of the value, at most ~80 characters; every cut is marked with '…'. */
  preview: string;
  /** For an instance of a class of the flow's code: its key in the code package's class registry, `file#Class`. */
  class?: string;
  /** Instances of the flow's classes inside the value (in arrays, objects, fields): where, and which class. */
  nestedClasses?: NestedClass[];
}

/** An instance inside an artifact: the keys and indices that lead to it from the value, and its class's key (`file#Class`). */
export interface NestedClass {
  path: Array<string | number>;
  class: string;
}

export interface SerializedArtifact {
  bytes: Buffer;
  info: ArtifactInfo;
}

export class ArtifactSerializationError extends Error {
  constructor(
    readonly artifact: string,
    cause: Error,
  ) {
    super(
      `artifact '${artifact}' cannot be stored: ${cause.message} (artifacts must be plain data, Map, Set, Date, RegExp, typed arrays, Buffer or BigInt)`,
    );
    this.name = 'ArtifactSerializationError';
  }
}

export function serializeArtifact(name: string, value: unknown): SerializedArtifact {
  let bytes: Buffer;
  try {
    bytes = canonicalBytes(v8.serialize(value));
  } catch (e) {
    throw new ArtifactSerializationError(name, e as Error);
  }
  return { bytes, info: { hash: sha256(bytes), size: bytes.length, type: describeType(value), preview: preview(value) } };
}

/** The hash a stored value has now: its own for one stored since hashes are canonical, else the one its value would get. */
export function canonicalHash(bytes: Buffer): string {
  return sha256(canonicalBytes(bytes));
}

export function deserializeArtifact(bytes: Buffer): unknown {
  return v8.deserialize(bytes);
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (Buffer.isBuffer(value)) return `Buffer(${value.length})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length ?? value.byteLength})`;
  if (value instanceof Date) return 'Date';
  if (value instanceof RegExp) return 'RegExp';
  if (typeof value === 'object') return value.constructor && value.constructor !== Object ? value.constructor.name : 'Object';
  return typeof value;
}

const PREVIEW_LENGTH = 80;

/** A short, human-readable rendering used by `dump`, the client API and the editor's tree. */
export function preview(value: unknown, max = PREVIEW_LENGTH): string {
  // A string is cut inside its quotes, as it is inside an array: the closing quote alone would hide the cut.
  const text = renderShort(value, typeof value === 'string' ? max - 3 : max + 1);
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function renderShort(value: unknown, budget: number, inside: Set<object> = new Set()): string {
  if (typeof value === 'object' && value !== null && inside.has(value)) return '[Circular]';
  if (typeof value === 'string') return quoted(value, budget);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  if (typeof value !== 'object' || value === null) return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (ArrayBuffer.isView(value))
    return `${describeType(value)} [${Array.from((value as unknown as ArrayLike<number>).length !== undefined ? Array.prototype.slice.call(value, 0, 8) : []).join(', ')}${(value as unknown as ArrayLike<number>).length > 8 ? ', …' : ''}]`;
  if (budget <= 0) return '…';
  inside.add(value);
  try {
    return renderContainer(value, budget, inside);
  } finally {
    inside.delete(value);
  }
}

/** A string in quotes, at most `budget` characters inside them (escapes count); a cut ends in '…' inside the quotes. */
function quoted(text: string, budget: number): string {
  let cut = text.length > budget ? text.slice(0, budget) : text;
  let json = JSON.stringify(cut);
  while (json.length > budget + 2) {
    cut = cut.slice(0, Math.max(0, cut.length - (json.length - budget - 2)));
    json = JSON.stringify(cut);
  }
  return cut.length < text.length ? `${json.slice(0, -1)}…"` : json;
}

function renderContainer(value: object, budget: number, inside: Set<object>): string {
  const nested = (v: unknown, max: number) => renderShort(v, Math.min(max, budget - 2), inside);
  const parts: string[] = [];
  let used = 0;
  const push = (s: string) => {
    parts.push(s);
    used += s.length + 2;
    return used < budget;
  };
  if (value instanceof Map) {
    for (const [k, v] of value) if (!push(`${nested(k, 20)} => ${nested(v, 30)}`)) break;
    return `Map(${value.size}) {${parts.join(', ')}${parts.length < value.size ? ', …' : ''}}`;
  }
  if (value instanceof Set) {
    for (const v of value) if (!push(nested(v, 30))) break;
    return `Set(${value.size}) {${parts.join(', ')}${parts.length < value.size ? ', …' : ''}}`;
  }
  if (Array.isArray(value)) {
    for (const v of value) if (!push(nested(v, 30))) break;
    return `[${parts.join(', ')}${parts.length < value.length ? ', …' : ''}]`;
  }
  const entries = Object.entries(value);
  for (const [k, v] of entries) if (!push(`${k}: ${nested(v, 30)}`)) break;
  return `{${parts.join(', ')}${parts.length < entries.length ? ', …' : ''}}`;
}
