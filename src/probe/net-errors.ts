// Socket errors sorted by what they mean for a verdict: a refusal is definite (never retried), a
// reset or timeout is inconclusive for an allowed path, and all of them count as "denied" for a
// path that must be closed.

export type NetFailure = 'refused' | 'reset' | 'unreachable' | 'timeout' | 'other'

export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown })?.code
  return typeof code === 'string' ? code : ''
}

export function classifyNetError(e: unknown): NetFailure {
  switch (errorCode(e)) {
    case 'ECONNREFUSED':
      return 'refused'
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'ERR_STREAM_PREMATURE_CLOSE':
    case 'ERR_HTTP2_SESSION_ERROR':
    case 'ERR_HTTP2_STREAM_CANCEL':
      return 'reset'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EHOSTDOWN':
      return 'unreachable'
    case 'ETIMEDOUT':
      return 'timeout'
    default:
      return 'other'
  }
}

export function describeError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e)
  const code = errorCode(e)
  return code && !message.includes(code) ? `${code}: ${message}` : message
}
