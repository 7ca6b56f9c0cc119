// EKS through eksctl: a ClusterConfig file per cluster (tags on the cluster and its node group),
// credentials with `eksctl utils write-kubeconfig`, and the sweep's list from the AWS tagging API.
// Credentials: aws-actions/configure-aws-credentials with OIDC (docs/providers.md).

import { join } from 'node:path'

import { stringify } from 'yaml'

import { ManagedProvider, minorOf, TTL_TAG, ttlOf } from '../managed/provider.js'
import type { ClusterShape, Command, ExpiredCluster, ManagedCluster, ManagedProviderOpts } from '../managed/provider.js'
import { settingsFromEnv } from '../managed/settings.js'

export class EksProvider extends ManagedProvider {
  readonly name = 'eks' as const
  protected readonly cli = { command: 'eksctl', hint: 'GitHub-hosted Ubuntu runners have it; elsewhere install eksctl (and the aws CLI) first' }
  protected readonly maxNameLength = 63

  static fromEnv(env: NodeJS.ProcessEnv = process.env, opts: Partial<ManagedProviderOpts> = {}): EksProvider {
    return new EksProvider({ settings: settingsFromEnv(env), env, ...opts })
  }

  protected location(): Omit<ManagedCluster, 'plan' | 'cloudName'> {
    const region = this.settings.region ?? this.env.AWS_REGION ?? this.env.AWS_DEFAULT_REGION
    if (!region) throw new Error('eks: no region; give the region input (or AWS_REGION, which aws-actions/configure-aws-credentials sets)')
    return { region }
  }

  /** The eksctl ClusterConfig: one managed node group of `nodeCount` nodes, everything tagged. */
  clusterConfig(c: ManagedCluster, shape: ClusterShape): string {
    const doc = {
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: c.cloudName, region: c.region, ...(shape.kubernetesVersion ? { version: minorOf(shape.kubernetesVersion) } : {}), tags: shape.labels },
      managedNodeGroups: [
        {
          name: 'workers',
          ...(shape.machineType ? { instanceType: shape.machineType } : {}),
          desiredCapacity: shape.nodeCount,
          minSize: shape.nodeCount,
          maxSize: shape.nodeCount,
          tags: shape.labels
        }
      ]
    }
    return stringify(doc, { lineWidth: 0 })
  }

  private configFile(dir: string): string {
    return join(dir, 'eksctl-config.yaml')
  }

  protected override configFiles(c: ManagedCluster, shape: ClusterShape, dir: string): { path: string; text: string }[] {
    return [{ path: this.configFile(dir), text: this.clusterConfig(c, shape) }]
  }

  protected createCommands(_c: ManagedCluster, _shape: ClusterShape, dir: string): Command[] {
    return [{ cmd: 'eksctl', args: ['create', 'cluster', '--config-file', this.configFile(dir), '--write-kubeconfig=false'] }]
  }

  credentialsCommand(c: ManagedCluster, kubeconfig: string): Command {
    return { cmd: 'eksctl', args: ['utils', 'write-kubeconfig', '--cluster', c.cloudName, '--region', c.region, '--kubeconfig', kubeconfig] }
  }

  deleteCommand(c: ManagedCluster): Command {
    return { cmd: 'eksctl', args: ['delete', 'cluster', '--name', c.cloudName, '--region', c.region, '--wait'] }
  }

  listCommand(): Command {
    const { region } = this.location()
    return { cmd: 'aws', args: ['resourcegroupstaggingapi', 'get-resources', '--region', region, '--resource-type-filters', 'eks:cluster', '--tag-filters', `Key=${TTL_TAG}`, '--output', 'json'] }
  }

  parseList(stdout: string): ExpiredCluster[] {
    const doc = JSON.parse(stdout) as { ResourceTagMappingList?: { ResourceARN?: string; Tags?: { Key?: string; Value?: string }[] }[] }
    const out: ExpiredCluster[] = []
    for (const r of doc.ResourceTagMappingList ?? []) {
      // arn:aws:eks:<region>:<account>:cluster/<name>
      const m = r.ResourceARN?.match(/^arn:[^:]+:eks:([^:]+):[^:]*:cluster\/(.+)$/)
      const ttl = ttlOf(r.Tags?.find(t => t.Key === TTL_TAG)?.Value)
      if (m && ttl !== undefined) out.push({ cloudName: m[2], region: m[1], expiresAt: ttl })
    }
    return out
  }
}
