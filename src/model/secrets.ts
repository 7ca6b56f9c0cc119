// Values that must never appear in a message, a log line or a report: credentials of Bevel's
// vault / gitops / aws / docker sections and anything whose key names a secret.

const SECRET_KEY = /(token|password|passphrase|secret|private_key|access_key|credential|api_key|apikey)/i
const SECRET_SECTIONS = new Set(['vault', 'gitops', 'aws', 'docker', 'azure', 'gcp'])

export function isSecretPath(pointer: string): boolean {
  const segments = pointer.split('/')
  return segments.some(s => SECRET_KEY.test(s) || SECRET_SECTIONS.has(s))
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key)
}

/** Whether the YAML line holding `offset` sets a secret (`password: ...`, `- root_token: ...`). */
export function isSecretLine(text: string, offset: number): boolean {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1
  const end = text.indexOf('\n', start)
  const line = text.slice(start, end < 0 ? undefined : end)
  const key = /^\s*(?:-\s+)?["']?([^"':#{}[\],]+?)["']?\s*:(\s|$)/.exec(line)?.[1]
  return key !== undefined && isSecretKey(key)
}

/** Whether any line that `from`..`to` touches sets a secret. */
export function isSecretSpan(text: string, from: number, to: number): boolean {
  for (let at = from; ; ) {
    if (isSecretLine(text, at)) return true
    const next = text.indexOf('\n', at)
    if (next < 0 || next + 1 >= to) return false
    at = next + 1
  }
}
