// The `baf` command: the same library the actions run, for laptops and scripts.

import { parseArgs } from 'node:util'

import { errorMessage, MissingCapabilityError, UsageError, ValidationFailed } from '../errors.js'
import { StreamLogger } from '../log/logger.js'
import { packageVersion } from '../paths.js'
import { COMMANDS, usage } from './commands/index.js'

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`baf ${packageVersion()}\n`)
    return 0
  }
  const entry = COMMANDS[name]
  if (!entry) {
    process.stderr.write(`baf: unknown command "${name}"\n\n${usage()}`)
    return 2
  }
  const command = await entry.load()
  let parsed
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' }, verbose: { type: 'boolean' } }, allowPositionals: true, strict: true })
  } catch (e) {
    process.stderr.write(`baf ${name}: ${errorMessage(e)}\n\n${command.usage}\n`)
    return 2
  }
  if (parsed.values.help) {
    process.stdout.write(command.usage + '\n')
    return 0
  }
  const log = new StreamLogger(process.stderr, Boolean(parsed.values.verbose))
  try {
    return await command.run({ values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals, log })
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`baf ${name}: ${e.message}\n\n${command.usage}\n`)
      return 2
    }
    if (e instanceof Error && e.name === 'UnreadableFileError') {
      process.stderr.write(`baf ${name}: ${e.message}\n`)
      return 2
    }
    // the message says what and what to do; the stack is for whoever debugs baf itself (--verbose).
    // Errors are told apart by name: importing their modules would load the Kubernetes client for every command
    const plain = e instanceof ValidationFailed || e instanceof MissingCapabilityError || (e instanceof Error && ['DeployFailed', 'ProbesFailed', 'Interrupted'].includes(e.name))
    const detail = e instanceof Error && parsed.values.verbose && !plain ? (e.stack ?? e.message) : errorMessage(e)
    process.stderr.write(`baf ${name}: ${detail}\n`)
    if (e instanceof Error && e.name === 'Interrupted') return 130
    return 1
  }
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code
  },
  e => {
    process.stderr.write(`baf: ${errorMessage(e)}\n`)
    process.exitCode = 1
  }
)
