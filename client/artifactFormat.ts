// How an artifact value reads in an editor: JSON for plain data; for everything the v8 serializer
// keeps but JSON cannot (Map, Set, Date, BigInt, RegExp, typed arrays, Buffer, undefined, NaN, -0,
// shared references), Node's inspect form, which shows those faithfully. Pure; unit-tested.
import { inspect } from 'node:util';

export const MAX_CHARS = 4_000_000;

export interface FormattedValue {
  text: string;
  language: 'json' | 'plaintext';
}

/** True when JSON.stringify round-trips the value exactly (plain objects, arrays, finite numbers...). */
export function isPlainJson(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object') return false; // undefined, bigint, function, symbol
  if (seen.has(value)) return false; // shared or circular references do not survive JSON
  seen.add(value);
  if (Array.isArray(value)) {
    // Holes are not JSON either.
    return value.length === Object.keys(value).length && value.every((v) => isPlainJson(v, seen));
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => isPlainJson(v, seen));
}

export function formatArtifactValue(value: unknown): FormattedValue {
  let out: FormattedValue;
  if (isPlainJson(value)) out = { text: JSON.stringify(value, null, 2), language: 'json' };
  else if (value instanceof Uint8Array) out = { text: hexdump(value), language: 'plaintext' };
  else {
    out = {
      text: inspect(value, {
        depth: Infinity,
        maxArrayLength: 10_000,
        maxStringLength: 1_000_000,
        breakLength: 100,
        colors: false,
        compact: 3,
      }),
      language: 'plaintext',
    };
  }
  if (out.text.length > MAX_CHARS)
    out = {
      ...out,
      text: out.text.slice(0, MAX_CHARS) + `\n… (${out.text.length - MAX_CHARS} more characters not shown)`,
      language: 'plaintext',
    };
  return out;
}

/** Bytes as offset, hex and text columns (first 64 KiB), plus the UTF-8 reading when it is text. */
export function hexdump(bytes: Uint8Array, limit = 65536): string {
  const name = Buffer.isBuffer(bytes) ? 'Buffer' : bytes.constructor.name;
  const lines = [`${name} (${bytes.length} bytes)`, ''];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (bytes.length && !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) lines.push('As UTF-8 text:', text, '', 'Bytes:');
  for (let off = 0; off < Math.min(bytes.length, limit); off += 16) {
    const row = Array.from(bytes.subarray(off, off + 16));
    const hex = row.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const asc = row.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  |${asc}|`);
  }
  if (bytes.length > limit) lines.push(`… ${bytes.length - limit} more bytes`);
  return lines.join('\n');
}
