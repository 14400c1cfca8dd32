// Errors a user or a disk can cause. The CLI prints each as one line on stderr (never a stack
// trace) and exits with its `exitCode`; anything else is an internal error, whose stack is shown
// only with FLOWSPEC_DEBUG=1.

/** Something the user gave us is wrong (a file, a flag, a value): exit 2. */
export class UserError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A record or blob of the datastore cannot be trusted (truncated, garbled, wrong shape): exit 2. */
export class DamagedError extends UserError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'DamagedError';
  }
}

/** The datastore's disk is full: exit 1 (the run, if any, is recorded as failed). */
export class NoSpaceError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly location: string,
    readonly what: string,
  ) {
    super(`no space left on the datastore at ${location} while writing ${what}`);
    this.name = 'NoSpaceError';
  }

  /** The same error, saying more precisely what was being written. */
  writing(what: string): NoSpaceError {
    return new NoSpaceError(this.location, what);
  }
}

const REPORTED = new Set(['UserError', 'DamagedError', 'NoSpaceError']);

/** An error the CLI reports as one line (by name, so it holds across bundles and processes). */
export function isUserError(e: unknown): e is UserError | NoSpaceError {
  return e instanceof Error && REPORTED.has(e.name);
}

/** A DamagedError, recognised by name (it may come from another bundle of the runtime). */
export function isDamaged(e: unknown): e is DamagedError {
  return e instanceof Error && e.name === 'DamagedError';
}

export function exitCodeOf(e: UserError | NoSpaceError): number {
  return e.name === 'NoSpaceError' ? 1 : 2;
}

/** A full disk: the file system's own error, or the datastore's NoSpaceError. */
export function isNoSpace(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || (e instanceof Error && e.name === 'NoSpaceError');
}

/** A read of an artifact that is not there (in a step, or through the client API's `data`): Metaflow's AttributeError/KeyError. */
export class UnknownArtifactError extends Error {
  constructor(
    readonly artifact: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnknownArtifactError';
  }
}

/**
 * Names that libraries probe on any object (a promise's `then`, JSON's `toJSON`, test matchers,
 * React, DOM checks): an object that throws for names it does not have answers these `undefined`.
 */
export function isProbedName(key: string | symbol): key is symbol | ProbedName {
  return typeof key === 'symbol' || PROBED_NAMES.has(key);
}
type ProbedName = 'then' | 'toJSON' | 'inspect' | 'asymmetricMatch' | '$$typeof' | 'nodeType' | 'tagName' | '__esModule' | 'constructor';
const PROBED_NAMES = new Set([
  'then',
  'toJSON',
  'inspect',
  'asymmetricMatch',
  '$$typeof',
  'nodeType',
  'tagName',
  '__esModule',
  'constructor',
]);
