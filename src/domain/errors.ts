/**
 * Two kinds of failure: a `UserError` is something the person can fix and is shown to them
 * (ephemeral where the platform allows); anything else is a bug or an outage, logged with a
 * reference and reported as "something went wrong (ref X)".
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type UserErrorCode =
  | 'bad_option'
  | 'bad_query'
  | 'not_found'
  | 'forbidden'
  | 'unknown_command'
  | 'conflict'
  /** A fair-use limit (topics, schedule times): the person can make room and try again. */
  | 'limit'
  | 'shutting_down';

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/** A short reference a person can quote to whoever reads the logs. */
export function errorRef(): string {
  return Math.random().toString(36).slice(2, 8).toUpperCase();
}

export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
