// Every free-text value a report copies from the state (probe details, hints, release and phase
// details, versions) passes through here first: the report is posted where anyone who can read
// the pull request can read it, so a token that slipped into an error message must not follow.

const REDACTED = '***'

/** [cheap test on the lower-cased text, pattern, replacement]: most text meets no test and costs one pass */
const PATTERNS: [(lower: string) => boolean, RegExp, string][] = [
  [l => l.includes('private key'), /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, '(private key redacted)'],
  // GitHub tokens: classic, OAuth, user-to-server, server-to-server, refresh, fine-grained
  [l => /gh[pousr]_|github_pat_/.test(l), /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, REDACTED],
  [l => l.includes('authorization'), /\b(authorization\s*[:=]\s*)(?:(bearer|token|basic)\s+)?[^\s"',;]+/gi, `$1$2 ${REDACTED}`],
  [l => l.includes('bearer') || l.includes('token'), /\b(bearer|token)\s+[A-Za-z0-9._~+/-]{16,}=*/gi, `$1 ${REDACTED}`],
  // JSON Web Tokens (service-account tokens in kubeconfigs)
  [l => l.includes('eyj'), /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, REDACTED],
  [l => l.includes('akia'), /\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  // user:password@ in URLs
  [l => l.includes('://') && l.includes('@'), /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
  // key=value and key: value where the key names a secret
  [
    l => /password|passwd|passphrase|secret|token|key|credential/.test(l),
    /\b([\w-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|credential)s?)(["']?\s*[:=]\s*["']?)[^\s"',;}&]+/gi,
    `$1$2${REDACTED}`
  ]
]

export interface RedactOpts {
  /** exact values to remove wherever they appear (the action passes its token) */
  secrets?: readonly string[]
}

export class Redactor {
  private readonly secrets: string[]

  constructor(opts: RedactOpts = {}) {
    // longest first, so a secret that contains another is removed whole
    this.secrets = [...new Set(opts.secrets ?? [])].filter(s => s.length >= 4).sort((a, b) => b.length - a.length)
  }

  redact(text: string): string {
    let out = text
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED)
    for (const [maybe, pattern, replacement] of PATTERNS) if (maybe(out.toLowerCase())) out = out.replace(pattern, replacement)
    return out
  }

  /** redact, then keep one line of at most `max` characters: details are for reading, not logs */
  line(text: string | undefined, max = 300): string | undefined {
    if (text === undefined) return undefined
    const one = this.redact(text).replace(/\s+/g, ' ').trim()
    return one.length > max ? `${one.slice(0, max - 1)}…` : one
  }
}
