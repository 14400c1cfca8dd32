// Trust nothing by its name: a document must parse, a blob must hash to its name. What does not
// is reported as damaged, naming the file, so one bad file never takes down what is around it.
import { createHash } from 'node:crypto';
import { DamagedError } from '../errors';

export function sha256(bytes: Buffer | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The JSON document in `bytes`; a DamagedError naming `file` when it is empty or torn. */
export function parseDocument<T>(bytes: Buffer, file: string): T {
  const text = bytes.toString('utf8');
  try {
    if (!text.trim()) throw new Error('it is empty');
    return JSON.parse(text) as T;
  } catch (e) {
    throw new DamagedError(`damaged record ${file}: ${e instanceof SyntaxError ? 'not valid JSON' : (e as Error).message}`, file);
  }
}

/** Throws a DamagedError naming `file` when the blob's bytes do not hash to its name. */
export function checkBlob(bytes: Buffer, hash: string, file: string): Buffer {
  if (sha256(bytes) !== hash) throw new DamagedError(`damaged blob ${file}: its content does not match its hash`, file);
  return bytes;
}

/** Code packages are named by the first 32 hex digits of their bundle's sha256. */
export function codePackageIntact(bytes: Buffer, sha: string): boolean {
  return sha256(bytes).slice(0, sha.length) === sha;
}
