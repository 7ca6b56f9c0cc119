import { UsageError } from '../../errors.js'
import { formatDiagnostic, validateFiles } from '../../model/index.js'
import type { Command } from './command.js'

export const validate: Command = {
  usage: `usage: baf validate FILE... [--format text|json]

Checks each Bevel network.yaml without touching a cluster. Prints one line per problem,
FILE:LINE:COL: error|warning: MESSAGE (or a JSON list with --format json).
Exit status: 0 no error, 1 at least one error, 2 usage error or unreadable file.`,
  options: { format: { type: 'string', default: 'text' } },
  async run({ values, positionals, log }) {
    if (positionals.length === 0) throw new UsageError('name at least one network.yaml file')
    const format = values.format
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json (got "${String(format)}")`)
    const result = await validateFiles(positionals)
    if (format === 'json') {
      process.stdout.write(JSON.stringify(result.diagnostics.map(d => ({ file: d.file, line: d.line, col: d.col, severity: d.severity, message: d.message, path: d.path })), null, 2) + '\n')
    } else {
      for (const d of result.diagnostics) process.stdout.write(formatDiagnostic(d) + '\n')
      log.info(`${positionals.length} file(s): ${result.errorCount} error(s), ${result.warningCount} warning(s)`)
    }
    return result.errorCount > 0 ? 1 : 0
  }
}
