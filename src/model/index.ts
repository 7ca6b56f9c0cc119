// The validation phase, shared by `baf validate`, `baf plan` and every action.

import type { Diagnostic } from './diagnostics.js'
import { loadNetworkFile } from './load.js'
import type { Network } from './network.js'
import type { Logger } from '../log/logger.js'

export type { Diagnostic } from './diagnostics.js'
export type { Network } from './network.js'
export { formatDiagnostic, hasErrors } from './diagnostics.js'
export { loadNetworkFile, loadNetworkText } from './load.js'

export interface ValidationResult {
  networks: Network[]
  diagnostics: Diagnostic[]
  errorCount: number
  warningCount: number
}

export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError'
}

/** Loads every file; an unreadable file throws (exit 2), invalid content becomes diagnostics. */
export async function validateFiles(files: readonly string[]): Promise<ValidationResult> {
  const networks: Network[] = []
  const diagnostics: Diagnostic[] = []
  for (const file of files) {
    let result
    try {
      result = await loadNetworkFile(file)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message)
      throw new UnreadableFileError(`${file}: cannot read the network file (${why})`)
    }
    diagnostics.push(...result.diagnostics)
    if (result.network) networks.push(result.network)
  }
  return {
    networks,
    diagnostics,
    errorCount: diagnostics.filter(d => d.severity === 'error').length,
    warningCount: diagnostics.filter(d => d.severity === 'warning').length
  }
}

/** Every diagnostic as an annotation (actions) or a `FILE:LINE:COL: severity: message` line (CLI). */
export function reportDiagnostics(diagnostics: readonly Diagnostic[], log: Logger): void {
  for (const d of diagnostics) {
    const props = { file: d.file, startLine: d.line, startColumn: d.col, title: d.severity === 'error' ? 'network.yaml error' : 'network.yaml warning' }
    if (d.severity === 'error') log.error(d.message, props)
    else log.warning(d.message, props)
  }
}
