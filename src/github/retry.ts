// When a GitHub API call is worth repeating, and after how long. Server errors, timeouts and
// secondary rate limits are retried with bounded backoff; a permission error (a fork's read-only
// token) or a validation error is not: repeating it only delays the same answer.

export interface RetryPolicy {
  /** total tries, the first included */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** a rate limit that asks for a longer wait than this is not waited for */
  maxWaitMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 20_000, maxWaitMs: 60_000 }

/** the parts of an @octokit/request-error RequestError (or a fetch failure) this module reads */
export interface ApiErrorLike {
  status?: number
  message?: string
  name?: string
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown }
}

export type Decision = { retry: true; delayMs: number; reason: string } | { retry: false; reason: string }

function header(e: ApiErrorLike, name: string): string | undefined {
  const v = e.response?.headers?.[name]
  return v === undefined ? undefined : String(v)
}

export function isSecondaryRateLimit(e: ApiErrorLike): boolean {
  if (e.status !== 403 && e.status !== 429) return false
  return /secondary rate limit|abuse detection/i.test(e.message ?? '') || header(e, 'retry-after') !== undefined || e.status === 429
}

export function isPrimaryRateLimit(e: ApiErrorLike): boolean {
  return (e.status === 403 || e.status === 429) && header(e, 'x-ratelimit-remaining') === '0'
}

/** a 403 that no retry fixes: the token may not do this (a fork's pull_request token, missing permissions) */
export function isPermissionError(e: ApiErrorLike): boolean {
  return e.status === 403 && !isSecondaryRateLimit(e) && !isPrimaryRateLimit(e)
}

export function describe(e: ApiErrorLike): string {
  const status = e.status !== undefined && e.response ? `HTTP ${e.status}` : e.name === 'TimeoutError' || /timeout|aborted/i.test(e.message ?? '') ? 'timed out' : 'no response'
  return `${status}: ${(e.message ?? 'unknown error').split('\n')[0].slice(0, 300)}`
}

/**
 * `attempt` is the try that just failed (1 for the first); `waitedMs` the time already spent
 * waiting between tries, so the whole call stays within `maxWaitMs` plus the request timeouts.
 */
export function decide(e: ApiErrorLike, attempt: number, waitedMs: number, policy: RetryPolicy, now = Date.now()): Decision {
  if (attempt >= policy.attempts) return { retry: false, reason: `gave up after ${attempt} tries` }
  const budget = policy.maxWaitMs - waitedMs
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  const bounded = (delayMs: number, reason: string): Decision =>
    delayMs <= budget ? { retry: true, delayMs, reason } : { retry: false, reason: `${reason}, but waiting ${Math.ceil(delayMs / 1000)} s exceeds the retry budget` }

  if (isPrimaryRateLimit(e)) {
    const reset = Number(header(e, 'x-ratelimit-reset'))
    const delay = Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) + 1000 : backoff
    return bounded(delay, 'rate limit exhausted')
  }
  if (isSecondaryRateLimit(e)) {
    const after = Number(header(e, 'retry-after'))
    // GitHub's advice without retry-after: wait at least a minute; the budget decides whether we do
    return bounded(Number.isFinite(after) && after >= 0 ? after * 1000 : Math.max(backoff, 60_000), 'secondary rate limit')
  }
  const status = e.status
  // fetch failures and timeouts arrive as status 500 without a response
  if (status === undefined || (status === 500 && !e.response)) return bounded(backoff, describe(e))
  if (status >= 500 && status <= 599) return bounded(backoff, `HTTP ${status}`)
  return { retry: false, reason: describe(e) }
}
