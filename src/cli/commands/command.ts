import type { ParseArgsConfig } from 'node:util'

import type { Logger } from '../../log/logger.js'

export interface CommandContext {
  values: Record<string, string | boolean | undefined>
  positionals: string[]
  log: Logger
}

export interface Command {
  usage: string
  options: NonNullable<ParseArgsConfig['options']>
  run(ctx: CommandContext): Promise<number>
}
