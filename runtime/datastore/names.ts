// Identifiers that become part of a datastore key (flow, run, step and task names), checked
// wherever they come in: the command line, a params file, a record. A name that passes cannot
// leave its folder: no '/', no '..', no control characters, and short enough for any file system
// (the rule itself: model/identifiers.ts).
import { identifierProblem } from '../../model/identifiers';
import { UserError } from '../errors';

export type IdentifierKind = 'flow name' | 'run id' | 'step name' | 'task id';

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
