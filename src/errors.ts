// Errors that carry their own advice. Anything else that escapes is a bug and is reported as one.

/** Bad command-line use: exit code 2, as the CLI documents. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** The input is invalid; the diagnostics have already been reported. */
export class ValidationFailed extends Error {
  override name = 'ValidationFailed'
  constructor(readonly errorCount: number) {
    super(`validation failed with ${errorCount} error(s); nothing was created`)
  }
}

/**
 * A phase this version of baf-action does not have yet. Raised instead of pretending, so a
 * workflow fails early and says why, rather than reporting a success that did nothing.
 */
export class MissingCapabilityError extends Error {
  override name = 'MissingCapabilityError'
  constructor(
    readonly capability: string,
    detail = ''
  ) {
    super(`${capability} is not available in this version of baf-action${detail ? `: ${detail}` : ''}. The feature table in README.md lists what works today.`)
  }
}

/** A teardown that failed in a post step asked to fail on it (ignore-cleanup-errors: false). */
export class CleanupFailed extends Error {
  override name = 'CleanupFailed'
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
