/**
 * An error caused by what the user gave us (a bad file, flag or value). The CLI prints its
 * message as one line on stderr and exits 2, never with a stack trace.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof Error && e.name === 'UserError';
}
