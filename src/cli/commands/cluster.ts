// `baf cluster create|delete`: clusters without a network, by name or for every cluster of a plan.

import { chmod, copyFile } from 'node:fs/promises'

import { UsageError } from '../../errors.js'
import { Exec } from '../../exec/exec.js'
import { bareCluster } from '../../plan/plan.js'
import type { PlanCluster } from '../../plan/types.js'
import type { PlannedCommand, ProvisionPreview } from '../../providers/provider.js'
import type { Command } from './command.js'
import { providerOption } from './pipeline.js'

/** `--dry-run --json`: argv arrays as they are handed to the program; a command's extra environment by its index. */
export function previewJson(preview: ProvisionPreview): unknown {
  const env = (commands: PlannedCommand[]): Record<string, Record<string, string>> | undefined => {
    const entries = commands.flatMap((c, i) => (c.env ? [[String(i), c.env] as const] : []))
    return entries.length > 0 ? Object.fromEntries(entries) : undefined
  }
  return {
    provider: preview.provider,
    action: preview.action,
    checks: preview.checks,
    shared: preview.shared.map(s => ({ argv: s.argv, ...(s.env ? { env: s.env } : {}), when: s.when })),
    clusters: preview.clusters.map(c => ({ ...c, commands: c.commands.map(x => x.argv), env: env(c.commands) }))
  }
}

function shellLine(c: PlannedCommand): string {
  const env = Object.entries(c.env ?? {}).map(([k, v]) => Exec.format(`${k}=${v}`, []))
  return [...env, Exec.format(c.argv[0], c.argv.slice(1))].join(' ')
}

const indent = (text: string, by: string): string =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map(l => by + l)
    .join('\n')

/** The dry run as a person reads it: commands as they would be typed, files in full. */
export function previewText(preview: ProvisionPreview): string {
  const out = [`dry run of "baf cluster ${preview.action} --provider ${preview.provider}": nothing was ${preview.action === 'create' ? 'created' : 'deleted'} or run`]
  if (preview.checks.length > 0) out.push('', 'checks first:', ...preview.checks.map(c => `  - ${c}`))
  if (preview.shared.length > 0) out.push('', 'once, for all clusters:', ...preview.shared.flatMap(s => [`  # ${s.when}`, `  $ ${shellLine(s)}`]))
  for (const c of preview.clusters) {
    out.push('', `cluster ${c.name}${c.context ? ` (context ${c.context})` : ''}:`)
    out.push(c.commands.length > 0 ? '  commands, in order:' : '  commands: none', ...c.commands.map(x => `    $ ${shellLine(x)}`))
    if (c.steps?.length) out.push('  besides:', ...c.steps.map(s => `    - ${s}`))
    if (c.config) out.push('  config:', indent(c.config, '    '))
    if (c.corefilePatch) out.push('  CoreDNS Corefile patch (appended to kube-system/coredns):', indent(c.corefilePatch, '    '))
  }
  return out.join('\n') + '\n'
}

export const cluster: Command = {
  usage: `usage: baf cluster create [--provider sim|kind|existing|eks|aks|gke] (--name NAME [--nodes N] [--kubeconfig PATH] | --network FILE)
                          [--state-dir DIR] [--dry-run [--json]]
       baf cluster delete [--provider sim|kind|existing|eks|aks|gke] (--name NAME | --network FILE) [--state-dir DIR] [--dry-run [--json]]

create returns when the clusters are ready and leaves them running; --kubeconfig copies the
admin kubeconfig (0600) to PATH. delete deletes them (sim: stops the processes and removes the
directory; existing: leaves them running). The provider defaults to sim; BAF_REGION and friends
as for "baf up". Clusters live under DIR (default .baf/).
--dry-run creates, deletes and runs nothing: it prints each cluster's config (kind, eksctl), the
CoreDNS Corefile patch and every command as it would be run; --json prints that as one document
{provider, action, checks, shared, clusters: [{name, config, corefilePatch, commands: [[argv]]}]}.`,
  options: {
    provider: { type: 'string', default: 'sim' },
    name: { type: 'string' },
    nodes: { type: 'string', default: '1' },
    kubeconfig: { type: 'string' },
    network: { type: 'string' },
    'state-dir': { type: 'string', default: '.baf' },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false }
  },
  async run({ values, positionals, log }) {
    const [verb, ...extra] = positionals
    if ((verb !== 'create' && verb !== 'delete') || extra.length > 0) throw new UsageError('expected "create" or "delete"')
    const name = values.name as string | undefined
    const network = values.network as string | undefined
    if (Boolean(name) === Boolean(network)) throw new UsageError('give either --name or --network')
    const nodes = Number(values.nodes)
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > 100) throw new UsageError(`--nodes must be a whole number from 1 to 100 (got "${String(values.nodes)}")`)
    if (name && !/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(name)) throw new UsageError(`--name "${name}" must be a DNS-1123 label of at most 40 characters`)
    if (values.kubeconfig && !name) throw new UsageError('--kubeconfig goes with --name (with --network, every cluster has its own kubeconfig in the state directory)')
    const dryRun = Boolean(values['dry-run'])
    if (values.json && !dryRun) throw new UsageError('--json goes with --dry-run (create prints one line per cluster: name, kubeconfig, server)')

    const [{ validateAndPlan }, { providerFor }] = await Promise.all([import('../../pipeline/pipeline.js'), import('../../providers/registry.js')])
    const clusters: PlanCluster[] = network
      ? (await validateAndPlan(network, log)).plan.clusters
      : [bareCluster(name!, nodes)]
    const provider = await providerFor(providerOption(values.provider))
    const opts = { workDir: String(values['state-dir']), log }
    if (dryRun) {
      const preview = await provider.describe(verb, clusters, opts)
      process.stdout.write(values.json ? JSON.stringify(previewJson(preview), null, 2) + '\n' : previewText(preview))
      return 0
    }
    if (verb === 'create') {
      const created = await provider.create(clusters, opts)
      for (const c of created) process.stdout.write(`${c.name}\t${c.kubeconfig}\t${c.server ?? ''}\n`)
      if (values.kubeconfig) {
        await copyFile(created[0].kubeconfig, String(values.kubeconfig))
        await chmod(String(values.kubeconfig), 0o600)
      }
    } else {
      await provider.delete(
        clusters.map(c => ({ name: c.name, provider: provider.name, kubeconfig: '', context: c.name, limitations: [] })),
        opts
      )
    }
    return 0
  }
}
