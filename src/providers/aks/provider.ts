// AKS through `az aks`, in the resource group the user names; tags on the cluster, credentials
// written to the cluster's own kubeconfig file. Credentials: azure/login with OIDC (docs/providers.md).

import { ManagedProvider, minorOf, TTL_TAG, ttlOf } from '../managed/provider.js'
import type { ClusterShape, Command, ExpiredCluster, ManagedCluster, ManagedProviderOpts } from '../managed/provider.js'
import { settingsFromEnv } from '../managed/settings.js'

export class AksProvider extends ManagedProvider {
  readonly name = 'aks' as const
  protected readonly cli = { command: 'az', hint: 'GitHub-hosted runners have the Azure CLI; elsewhere install it first' }
  protected readonly maxNameLength = 63

  static fromEnv(env: NodeJS.ProcessEnv = process.env, opts: Partial<ManagedProviderOpts> = {}): AksProvider {
    return new AksProvider({ settings: settingsFromEnv(env), env, ...opts })
  }

  protected location(): Omit<ManagedCluster, 'plan' | 'cloudName'> {
    const resourceGroup = this.settings.resourceGroup
    if (!resourceGroup) throw new Error('aks: no resource group; give the resource-group input (the group must exist; azure/login must have access to it)')
    return { region: this.settings.region ?? '', resourceGroup }
  }

  protected createCommands(c: ManagedCluster, shape: ClusterShape): Command[] {
    const args = ['aks', 'create', '--resource-group', c.resourceGroup!, '--name', c.cloudName, '--node-count', String(shape.nodeCount)]
    if (c.region) args.push('--location', c.region)
    if (shape.machineType) args.push('--node-vm-size', shape.machineType)
    if (shape.kubernetesVersion) args.push('--kubernetes-version', aksVersion(shape.kubernetesVersion))
    args.push('--tags', ...Object.entries(shape.labels).map(([k, v]) => `${k}=${v}`), '--generate-ssh-keys', '--only-show-errors', '--output', 'none')
    return [{ cmd: 'az', args }]
  }

  credentialsCommand(c: ManagedCluster, kubeconfig: string): Command {
    return { cmd: 'az', args: ['aks', 'get-credentials', '--resource-group', c.resourceGroup!, '--name', c.cloudName, '--file', kubeconfig, '--overwrite-existing', '--only-show-errors'] }
  }

  deleteCommand(c: ManagedCluster): Command {
    return { cmd: 'az', args: ['aks', 'delete', '--resource-group', c.resourceGroup!, '--name', c.cloudName, '--yes', '--only-show-errors'] }
  }

  listCommand(): Command {
    return {
      cmd: 'az',
      args: ['aks', 'list', '--query', `[?tags."${TTL_TAG}" != null].{name: name, resourceGroup: resourceGroup, location: location, ttl: tags."${TTL_TAG}"}`, '--output', 'json', '--only-show-errors']
    }
  }

  parseList(stdout: string): ExpiredCluster[] {
    const list = JSON.parse(stdout) as { name?: string; resourceGroup?: string; location?: string; ttl?: string }[]
    return list.flatMap(c => {
      const ttl = ttlOf(c.ttl)
      return c.name && c.resourceGroup && ttl !== undefined ? [{ cloudName: c.name, resourceGroup: c.resourceGroup, region: c.location ?? '', expiresAt: ttl }] : []
    })
  }
}

/** AKS takes `1.33` (the latest patch) or a full `1.33.2`, without a leading v. */
function aksVersion(version: string): string {
  const v = version.replace(/^v/, '')
  return /^\d+\.\d+\.\d+$/.test(v) ? v : minorOf(v)
}
