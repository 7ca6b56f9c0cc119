// A problem found in an input file, located precisely enough for an editor, a terminal and a
// GitHub annotation to point at the offending key or value.

export type Severity = 'error' | 'warning'

export interface Diagnostic {
  file: string
  line: number // 1-based
  col: number // 1-based
  severity: Severity
  message: string
  /** JSON Pointer into the normalised document (`/network/organizations/0/name`), '' for the root. */
  path: string
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some(d => d.severity === 'error')
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message)
  )
}

export type PathSegment = string | number

export function toPointer(path: readonly PathSegment[]): string {
  return path.map(s => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('')
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}
