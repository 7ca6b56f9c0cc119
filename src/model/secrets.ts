// Values that must never appear in a message, a log line or a report: credentials of Bevel's
// vault / gitops / aws / docker sections and anything whose key names a secret.

const SECRET_KEY = /(token|password|passphrase|secret|private_key|access_key|credential|api_key|apikey)/i
const SECRET_SECTIONS = new Set(['vault', 'gitops', 'aws', 'docker', 'azure', 'gcp'])

export function isSecretPath(pointer: string): boolean {
  const segments = pointer.split('/')
  return segments.some(s => SECRET_KEY.test(s) || SECRET_SECTIONS.has(s))
}
