// Canonical v8 bytes, so that equal artifact values get one content hash. V8's serializer writes
// what a value is in memory, not only what it is: the number 2 as an integer or as a double (from
// 4 / 2, in an array that also holds 1.5, in an object field that once held a fraction), a string
// of Latin-1 characters as one or two bytes per character (a slice of a string with '€' in it), an
// array filled after `new Array(n)` in the sparse format. `canonicalBytes` rewrites such tokens the
// one way (an integral double within int32 as an integer, one NaN, a Latin-1 two-byte string as
// one-byte, a sparse array without holes as dense), drops the padding v8 puts before a two-byte
// string (it aligns the characters in memory; v8 reads them unaligned as well: they are copied),
// and keeps every other byte. The result is still v8's format: `v8.deserialize` reads it,
// and artifacts stored before (not canonical) still load. What it does not know (a format it has
// no rule for) it leaves as v8 wrote it. -0 stays apart from 0 and key order stays part of an
// object, as both can be told apart in JavaScript (and key order by Metaflow's pickle too).

/** The tags of v8's format that this reads (v8's src/objects/value-serializer.cc). */
const T = {
  padding: 0x00,
  verifyCount: 0x3f, // '?'
  hole: 0x2d, // '-'
  undefined: 0x5f, // '_'
  null: 0x30, // '0'
  true: 0x54, // 'T'
  false: 0x46, // 'F'
  int32: 0x49, // 'I'
  uint32: 0x55, // 'U'
  double: 0x4e, // 'N'
  bigint: 0x5a, // 'Z'
  utf8String: 0x53, // 'S'
  oneByteString: 0x22, // '"'
  twoByteString: 0x63, // 'c'
  reference: 0x5e, // '^'
  beginObject: 0x6f, // 'o'
  endObject: 0x7b, // '{'
  beginSparseArray: 0x61, // 'a'
  endSparseArray: 0x40, // '@'
  beginDenseArray: 0x41, // 'A'
  endDenseArray: 0x24, // '$'
  date: 0x44, // 'D'
  trueObject: 0x79, // 'y'
  falseObject: 0x78, // 'x'
  numberObject: 0x6e, // 'n'
  bigintObject: 0x7a, // 'z'
  stringObject: 0x73, // 's'
  regExp: 0x52, // 'R'
  beginMap: 0x3b, // ';'
  endMap: 0x3a, // ':'
  beginSet: 0x27, // "'"
  endSet: 0x2c, // ','
  arrayBuffer: 0x42, // 'B'
  resizableArrayBuffer: 0x7e, // '~'
  hostObject: 0x5c, // '\' : Node's typed arrays and Buffers (type, byte length, bytes)
  error: 0x72, // 'r'
  version: 0xff,
} as const;

/** The parts of an Error token: its prototype (no payload), message, stack, cause, end. */
const ERROR_PROTOTYPES = new Set([0x45, 0x52, 0x46, 0x53, 0x54, 0x55]); // E R F S T U
const ERROR_MESSAGE = 0x6d; // 'm'
const ERROR_STACK = 0x73; // 's'
const ERROR_CAUSE = 0x63; // 'c'
const ERROR_END = 0x2e; // '.'

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const CANONICAL_NAN = Buffer.from([0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);

/** A tag this does not know: the value is kept as v8 wrote it. */
class UnknownFormat extends Error {}

/** v8's bytes of a value, rewritten so that equal values have equal bytes; `bytes` itself when nothing needs it. */
export function canonicalBytes(bytes: Buffer): Buffer {
  try {
    const rewrite = new Rewrite(bytes);
    rewrite.all();
    return rewrite.result();
  } catch (e) {
    if (e instanceof UnknownFormat || e instanceof RangeError) return bytes; // RangeError: nesting too deep
    throw e;
  }
}

/**
 * Reads v8's tokens one value at a time. Nothing is copied until a token needs rewriting: from
 * then on the bytes go to `out` (the input up to there first, then each token as is or rewritten).
 */
class Rewrite {
  private pos = 0;
  /** Input bytes before this are in `out` (when there is one). */
  private kept = 0;
  private out: Buffer | undefined;
  private outLength = 0;
  private changed = false;

  constructor(private readonly input: Buffer) {}

  all(): void {
    if (this.input[0] !== T.version) throw new UnknownFormat();
    this.pos = 1;
    this.varint();
    while (this.pos < this.input.length) this.value();
  }

  result(): Buffer {
    if (!this.changed) return this.input;
    this.keep();
    return this.out!.subarray(0, this.outLength);
  }

  /** Starts copying: `out` holds the input up to `kept`. */
  private materialize(): Buffer {
    if (!this.out) {
      this.out = Buffer.allocUnsafe(this.input.length + 64);
      this.input.copy(this.out, 0, 0, this.kept);
      this.outLength = this.kept;
    }
    return this.out;
  }

  private room(n: number): Buffer {
    const out = this.materialize();
    if (this.outLength + n <= out.length) return out;
    const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, this.outLength + n));
    out.copy(bigger, 0, 0, this.outLength);
    return (this.out = bigger);
  }

  /** Copies the input read since the last rewrite (once copying has started). */
  private keep(until = this.pos): void {
    if (!this.out || until <= this.kept) return;
    const out = this.room(until - this.kept);
    if (until - this.kept > 64) {
      this.input.copy(out, this.outLength, this.kept, until);
      this.outLength += until - this.kept;
    } else {
      for (let i = this.kept; i < until; i++) out[this.outLength++] = this.input[i]; // Buffer.copy costs more for a few bytes
    }
    this.kept = until;
  }

  /** The input from `start` to here is rewritten: what `write` puts in `out` replaces it. */
  private rewrite(start: number, size: number, write: (out: Buffer, at: number) => number): void {
    this.materialize();
    this.keep(start);
    this.outLength = write(this.room(size), this.outLength);
    this.kept = this.pos;
    this.changed = true;
  }

  private byte(): number {
    if (this.pos >= this.input.length) throw new UnknownFormat();
    return this.input[this.pos++];
  }

  private peek(): number {
    if (this.pos >= this.input.length) throw new UnknownFormat();
    return this.input[this.pos];
  }

  private varint(): number {
    const first = this.byte();
    if (first < 0x80) return first;
    let value = first & 0x7f;
    for (let scale = 0x80; ; scale *= 0x80) {
      const b = this.byte();
      if (scale > 2 ** 28) throw new UnknownFormat();
      value += (b & 0x7f) * scale;
      if (!(b & 0x80)) return value;
    }
  }

  private skip(n: number): void {
    if (this.pos + n > this.input.length) throw new UnknownFormat();
    this.pos += n;
  }

  /** Reads one value (with its nested values), rewriting what has two forms; returns a number's value (a sparse array's keys). */
  private value(): number | undefined {
    const start = this.pos;
    const tag = this.byte();
    switch (tag) {
      case T.int32: {
        const z = this.varint();
        return z % 2 ? -(z + 1) / 2 : z / 2;
      }
      case T.double: {
        this.skip(8);
        const n = this.input.readDoubleLE(start + 1);
        if (isInt32(n) || (n !== n && !isCanonicalNaN(this.input, start + 1))) this.rewrite(start, 9, (out, at) => writeNumber(out, at, n));
        return n;
      }
      case T.uint32: {
        const n = this.varint();
        this.rewrite(start, 9, (out, at) => writeNumber(out, at, n));
        return n;
      }
      case T.padding:
        this.rewrite(start, 0, (_out, at) => at);
        return this.value();
      case T.verifyCount:
      case T.reference:
        this.varint();
        return undefined;
      case T.hole:
      case T.undefined:
      case T.null:
      case T.true:
      case T.false:
      case T.trueObject:
      case T.falseObject:
        return undefined;
      case T.date:
      case T.numberObject:
        this.skip(8);
        return undefined;
      case T.bigint:
      case T.bigintObject: {
        const bitfield = this.varint();
        this.skip((bitfield >>> 1) & 0x3fffffff);
        return undefined;
      }
      case T.oneByteString:
      case T.utf8String:
        this.skip(this.varint());
        return undefined;
      case T.twoByteString:
        this.twoByteString(start);
        return undefined;
      case T.stringObject:
        this.value();
        return undefined;
      case T.regExp:
        this.value();
        this.varint();
        return undefined;
      case T.beginObject:
        while (this.peek() !== T.endObject) this.value();
        this.pos++;
        this.varint();
        return undefined;
      case T.beginDenseArray:
        this.varint();
        while (this.peek() !== T.endDenseArray) this.value();
        this.pos++;
        this.varint();
        this.varint();
        return undefined;
      case T.beginSparseArray:
        this.sparseArray();
        return undefined;
      case T.beginMap:
        while (this.peek() !== T.endMap) this.value();
        this.pos++;
        this.varint();
        return undefined;
      case T.beginSet:
        while (this.peek() !== T.endSet) this.value();
        this.pos++;
        this.varint();
        return undefined;
      case T.arrayBuffer:
        this.skip(this.varint());
        return undefined;
      case T.resizableArrayBuffer: {
        const length = this.varint();
        this.varint();
        this.skip(length);
        return undefined;
      }
      case T.hostObject:
        this.varint();
        this.skip(this.varint());
        return undefined;
      case T.error:
        this.error();
        return undefined;
      default:
        throw new UnknownFormat();
    }
  }

  /** A two-byte string whose characters are all Latin-1 becomes one-byte. */
  private twoByteString(start: number): void {
    const length = this.varint();
    this.skip(length);
    const from = this.pos - length;
    if (length % 2) return;
    for (let i = from + 1; i < this.pos; i += 2) if (this.input[i] !== 0) return;
    this.rewrite(start, 6 + length / 2, (out, at) => {
      out[at++] = T.oneByteString;
      at = writeVarint(out, at, length / 2);
      for (let i = from; i < this.pos; i += 2) out[at++] = this.input[i];
      return at;
    });
  }

  /**
   * An array in the sparse format (v8 writes any array whose elements are "holey" so, even one with
   * no hole): in the dense format when its first `length` properties are its indices in order.
   */
  private sparseArray(): void {
    const headerAt = this.pos - 1;
    const length = this.varint();
    // Copied from here on: the keys to drop are known by their place in `out`.
    this.materialize();
    this.keep();
    const headerOut = this.outLength - (this.pos - headerAt);
    const keys: Array<[number, number]> = [];
    let properties = 0;
    while (this.peek() !== T.endSparseArray) {
      this.keep();
      const keyOut = this.outLength;
      const key = this.value();
      this.keep();
      if (keys.length === properties && properties < length && key === properties) keys.push([keyOut, this.outLength]);
      this.value();
      properties++;
    }
    const end = this.pos;
    this.pos++;
    const written = this.varint();
    this.varint();
    if (keys.length < length || written !== properties) return;
    // Dense: 'A' length, the elements, then the other properties, '$' their count and the length.
    this.keep(end);
    const out = this.out!;
    out[headerOut] = T.beginDenseArray;
    let to = keys.length ? keys[0][0] : this.outLength;
    keys.forEach(([, keyEnd], i) => {
      const next = i + 1 < keys.length ? keys[i + 1][0] : this.outLength;
      out.copy(out, to, keyEnd, next);
      to += next - keyEnd;
    });
    this.outLength = to;
    this.rewrite(end, 11, (o, at) => {
      o[at++] = T.endDenseArray;
      at = writeVarint(o, at, properties - length);
      return writeVarint(o, at, length);
    });
  }

  /** An Error: its prototype, message, stack and cause, in any order, to its end. */
  private error(): void {
    for (;;) {
      const part = this.byte();
      if (part === ERROR_END) return;
      if (ERROR_PROTOTYPES.has(part)) continue;
      if (part === ERROR_MESSAGE || part === ERROR_STACK || part === ERROR_CAUSE) this.value();
      else throw new UnknownFormat();
    }
  }
}

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX && !Object.is(n, -0);
}

function isCanonicalNaN(bytes: Buffer, at: number): boolean {
  return CANONICAL_NAN.equals(bytes.subarray(at, at + 8));
}

/** The one token of a number: an integer within int32 as v8's Int32 (zigzag varint), any other as a double (one NaN). */
function writeNumber(out: Buffer, at: number, n: number): number {
  if (isInt32(n)) {
    out[at++] = T.int32;
    return writeVarint(out, at, n >= 0 ? n * 2 : -n * 2 - 1);
  }
  out[at++] = T.double;
  if (n !== n) CANONICAL_NAN.copy(out, at);
  else out.writeDoubleLE(n, at);
  return at + 8;
}

function writeVarint(out: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  out[at++] = n;
  return at;
}
