/** A mistake in how the CLI was called: exit code 2, message on stderr. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
