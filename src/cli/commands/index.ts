// The commands, loaded only when run: `baf validate` loads the model, not the Kubernetes client.

import type { Command } from './command.js'

interface Entry {
  summary: string
  load: () => Promise<Command>
}

export const COMMANDS: Record<string, Entry> = {
  validate: { summary: 'check network.yaml files; one line per problem', load: async () => (await import('./validate.js')).validate },
  plan: { summary: 'show what would be created where, touching no cluster', load: async () => (await import('./plan.js')).plan },
  up: { summary: 'provision clusters, deploy the network, probe and report', load: async () => (await import('./pipeline.js')).up },
  probe: { summary: 'run the connectivity matrix against a deployed network, or probe one endpoint', load: async () => (await import('./pipeline.js')).probe },
  report: { summary: 'render the topology report (Markdown, JSON, HTML)', load: async () => (await import('./pipeline.js')).report },
  down: { summary: 'collect diagnostics and tear everything down', load: async () => (await import('./pipeline.js')).down },
  sweep: { summary: 'reclaim PR previews whose PR is closed or whose expiry passed', load: async () => (await import('./pipeline.js')).sweep },
  cluster: { summary: 'create or delete clusters (sim) by name or for a network', load: async () => (await import('./cluster.js')).cluster }
}

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
