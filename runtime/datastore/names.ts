// Identifiers that become part of a datastore key (flow, run, step and task names), checked
// wherever they come in: the command line, a params file, a record. A name that passes cannot
// leave its folder: no '/', no '..', no control characters, and short enough for any file system.
import { UserError } from '../errors';

export type IdentifierKind = 'flow name' | 'run id' | 'step name' | 'task id';

/** File names are at most 255 bytes; keys add suffixes (`attempt-0.stdout`, `.tmp`) to some. */
export const MAX_IDENTIFIER_LENGTH = 200;

const IDENTIFIER = /^[A-Za-z0-9_$][\w$.-]*$/;

/** Why `value` cannot be a `kind`, or undefined when it can. */
export function identifierProblem(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > MAX_IDENTIFIER_LENGTH) return `it is ${value.length} characters long (at most ${MAX_IDENTIFIER_LENGTH})`;
  if (!IDENTIFIER.test(value))
    return "use letters, digits, '_', '$', '.' and '-' (no '/', '..', spaces or control characters), starting with a letter, digit, '_' or '$'";
  return undefined;
}

/** Throws a UserError naming the identifier when it cannot be part of a key. */
export function checkIdentifier(kind: IdentifierKind, value: string): string {
  const problem = identifierProblem(value);
  if (problem) throw new UserError(`${quoteShort(value)} cannot be a ${kind}: ${problem}`);
  return value;
}

/** A value for a message: quoted, control characters escaped, cut when long. */
export function quoteShort(value: string, max = 60): string {
  const body = JSON.stringify(value.length > max ? value.slice(0, max) : value).slice(1, -1);
  return `'${body}${value.length > max ? '…' : ''}'`;
}
