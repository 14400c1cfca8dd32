// What may name a flow, a run, a step or a task: each becomes part of a datastore key (a file
// name), and a step's name is also a method the runtime calls. The runtime enforces these rules
// (runtime/datastore/names.ts) and the analyzer reports a step name that breaks them.

/** File names are at most 255 bytes; keys add suffixes (`attempt-0.stdout`, `.tmp`) to some. */
export const MAX_IDENTIFIER_LENGTH = 200;

const IDENTIFIER = /^[A-Za-z0-9_$][\w$.-]*$/;

/** Why `value` cannot be part of a datastore key, or undefined when it can. */
export function identifierProblem(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > MAX_IDENTIFIER_LENGTH) return `it is ${value.length} characters long (at most ${MAX_IDENTIFIER_LENGTH})`;
  if (!IDENTIFIER.test(value))
    return "use letters, digits, '_', '$', '.' and '-' (no '/', '..', spaces or control characters), starting with a letter, digit, '_' or '$'";
  return undefined;
}

const STEP_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Why a method cannot be a step: private (`#x`), not a plain name, or too long for a key; undefined when it can. */
export type StepNameProblem = 'private' | 'characters' | 'length';

export function stepNameProblem(name: string): StepNameProblem | undefined {
  if (name.startsWith('#')) return 'private';
  if (!STEP_NAME.test(name)) return 'characters';
  if (identifierProblem(name) !== undefined) return 'length';
  return undefined;
}
