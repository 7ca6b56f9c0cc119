// GKE through `gcloud container clusters`: a zone (europe-west1-b) makes a zonal cluster, a region
// a regional one; labels on the cluster; credentials written where KUBECONFIG points, which is the
// cluster's own file. Credentials: google-github-actions/auth with OIDC (docs/providers.md).

import { ManagedProvider, TTL_TAG, ttlOf } from '../managed/provider.js'
import type { ClusterShape, Command, ExpiredCluster, ManagedCluster, ManagedProviderOpts } from '../managed/provider.js'
import { settingsFromEnv } from '../managed/settings.js'

export class GkeProvider extends ManagedProvider {
  readonly name = 'gke' as const
  // GKE cluster names: at most 40 characters
  protected readonly cli = { command: 'gcloud', hint: 'install it with google-github-actions/setup-gcloud (with the gke-gcloud-auth-plugin component)' }
  protected readonly maxNameLength = 40

  static fromEnv(env: NodeJS.ProcessEnv = process.env, opts: Partial<ManagedProviderOpts> = {}): GkeProvider {
    return new GkeProvider({ settings: settingsFromEnv(env), env, ...opts })
  }

  protected location(): Omit<ManagedCluster, 'plan' | 'cloudName'> {
    const region = this.settings.region ?? this.env.CLOUDSDK_COMPUTE_ZONE ?? this.env.CLOUDSDK_COMPUTE_REGION
    if (!region) throw new Error('gke: no region or zone; give the region input (e.g. europe-west1-b for a zonal cluster)')
    const project = this.settings.project
    if (!project) throw new Error('gke: no project; give the project input (google-github-actions/auth sets GOOGLE_CLOUD_PROJECT when it knows one)')
    return { region, project }
  }

  private where(c: ManagedCluster): string[] {
    // zones end in a letter (europe-west1-b); regions in a digit (europe-west1)
    return ['--project', c.project!, /-[a-z]$/.test(c.region) ? '--zone' : '--region', c.region]
  }

  protected createCommands(c: ManagedCluster, shape: ClusterShape): Command[] {
    const args = ['container', 'clusters', 'create', c.cloudName, ...this.where(c), '--num-nodes', String(shape.nodeCount)]
    if (shape.machineType) args.push('--machine-type', shape.machineType)
    if (shape.kubernetesVersion) args.push('--cluster-version', shape.kubernetesVersion.replace(/^v/, ''))
    args.push('--labels', Object.entries(shape.labels).map(([k, v]) => `${k}=${v}`).join(','), '--quiet')
    return [{ cmd: 'gcloud', args }]
  }

  credentialsCommand(c: ManagedCluster, kubeconfig: string): Command {
    return { cmd: 'gcloud', args: ['container', 'clusters', 'get-credentials', c.cloudName, ...this.where(c)], env: { KUBECONFIG: kubeconfig } }
  }

  deleteCommand(c: ManagedCluster): Command {
    return { cmd: 'gcloud', args: ['container', 'clusters', 'delete', c.cloudName, ...this.where(c), '--quiet'] }
  }

  listCommand(): Command {
    const { project } = this.location()
    return { cmd: 'gcloud', args: ['container', 'clusters', 'list', '--project', project!, `--filter=resourceLabels.${TTL_TAG}:*`, '--format=json'] }
  }

  parseList(stdout: string): ExpiredCluster[] {
    const list = JSON.parse(stdout) as { name?: string; location?: string; zone?: string; resourceLabels?: Record<string, string> }[]
    const { project } = this.location()
    return list.flatMap(c => {
      const ttl = ttlOf(c.resourceLabels?.[TTL_TAG])
      const region = c.location ?? c.zone
      return c.name && region && ttl !== undefined ? [{ cloudName: c.name, region, project, expiresAt: ttl }] : []
    })
  }
}
