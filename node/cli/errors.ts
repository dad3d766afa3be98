/**
 * A mistake the user can fix (bad flag, bad file): printed as one line, exit code 2, no stack.
 * Anything else that escapes a command is a bug or an environment failure: exit code 1.
 */
export class UsageError extends Error {
  override name = 'UsageError'
}

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
