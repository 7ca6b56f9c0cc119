// `baf cluster create|delete`: clusters without a network, by name or for every cluster of a plan.

import { chmod, copyFile } from 'node:fs/promises'

import { UsageError } from '../../errors.js'
import { bareCluster } from '../../plan/plan.js'
import type { PlanCluster } from '../../plan/types.js'
import type { Command } from './command.js'
import { providerOption } from './pipeline.js'

export const cluster: Command = {
  usage: `usage: baf cluster create --provider sim (--name NAME [--nodes N] [--kubeconfig PATH] | --network FILE) [--state-dir DIR]
       baf cluster delete --provider sim (--name NAME | --network FILE) [--state-dir DIR]

create returns when the cluster is ready and leaves it running; --kubeconfig copies its admin
kubeconfig (0600) to PATH. delete stops its processes and removes its directory.
Clusters live under DIR (default .baf/).`,
  options: {
    provider: { type: 'string', default: 'sim' },
    name: { type: 'string' },
    nodes: { type: 'string', default: '1' },
    kubeconfig: { type: 'string' },
    network: { type: 'string' },
    'state-dir': { type: 'string', default: '.baf' }
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

    const [{ validateAndPlan }, { providerFor }] = await Promise.all([import('../../pipeline/pipeline.js'), import('../../providers/registry.js')])
    const clusters: PlanCluster[] = network
      ? (await validateAndPlan(network, log)).plan.clusters
      : [bareCluster(name!, nodes)]
    const provider = await providerFor(providerOption(values.provider))
    const opts = { workDir: String(values['state-dir']), log }
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
