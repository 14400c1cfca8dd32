// What the language server refuses, so that no document or file can hang it or grow it without
// bound: documents over MAX_DOCUMENT_CHARS are not analysed (a flow file gets one `file-too-large`
// warning instead), and files read from disk must be regular files within the same size.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { FlowDiagnostic, Position } from '../analyzer';

/**
 * Larger documents are not analysed. Real flows are a few hundred lines; 1,000,000 characters is
 * a flow of ~5,000 steps, which takes seconds per analysis (bench/lsp.ts).
 */
export const MAX_DOCUMENT_CHARS = 1_000_000;

export const formatCount = (n: number) => n.toLocaleString('en-US');

/** The one diagnostic of a flow file too large to analyse, at its first `extends FlowSpec`. */
export function fileTooLarge(chars: number, at: Position): FlowDiagnostic {
  return {
    code: 'file-too-large',
    severity: 'warning',
    range: { start: at, end: at },
    message:
      `this flow file has ${formatCount(chars)} characters, over the ${formatCount(MAX_DOCUMENT_CHARS)} the editor checks: ` +
      'it gets no FlowSpec diagnostics, hover or graph (split the flow, or run `flowspec check` on it)',
  };
}

/** A file the server will not read: the message says which and why. */
export class FileRefused extends Error {}

/**
 * The text of a regular file of at most `maxBytes`. A FIFO, a device (/dev/zero), a folder or a
 * larger file is refused without reading it: the open does not block, and the size is checked on
 * the opened file, so a path swapped after a check cannot slip through.
 */
export function readRegularFile(path: string, maxBytes = MAX_DOCUMENT_CHARS): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new FileRefused(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileRefused(`${path} is not a regular file: the language server reads only regular files`);
    if (st.size > maxBytes)
      throw new FileRefused(`${path} has ${formatCount(st.size)} bytes, over the ${formatCount(maxBytes)} the language server reads`);
    // Read at most one byte past the limit: a file that grows meanwhile is refused too.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, n)) > 0;) n += r;
    if (n > maxBytes) throw new FileRefused(`${path} grew past ${formatCount(maxBytes)} bytes while being read`);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}
