import { cluster } from './cluster.js'
import type { Command } from './command.js'
import { down, probe, report, up } from './pipeline.js'
import { plan } from './plan.js'
import { validate } from './validate.js'

export const COMMANDS: Record<string, Command> = { validate, plan, up, probe, report, down, cluster }

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map(k => k.length))
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  return `usage: baf COMMAND [options]

Deploy, probe and report Bevel network.yaml networks on Kubernetes.

commands:
${lines.join('\n')}

baf COMMAND --help shows a command's options; baf --version prints the version.
`
}
