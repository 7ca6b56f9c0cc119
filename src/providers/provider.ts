// One interface for every place clusters come from. A provider creates all clusters of a plan
// (in parallel where it can), deletes them, and collects what helps debug them.

import type { Logger } from '../log/logger.js'
import type { PlanCluster } from '../plan/types.js'

export const PROVIDER_NAMES = ['sim', 'kind', 'existing', 'eks', 'aks', 'gke'] as const
export type ProviderName = (typeof PROVIDER_NAMES)[number]
/** the providers whose clusters carry a baf-ttl tag, so a sweep can find what a run left */
export const CLOUD_PROVIDERS = ['eks', 'aks', 'gke'] as const satisfies readonly ProviderName[]

export interface ProvisionedCluster {
  name: string
  provider: ProviderName
  /** kubeconfig file (0600) whose current context is this cluster */
  kubeconfig: string
  context: string
  server?: string
  kubernetesVersion?: string
  /** addresses LoadBalancer Services receive, when the provider hands them out */
  loadBalancerPool?: string[]
  /** provider-owned directory (sim: certificates, etcd data, logs) */
  dir?: string
  /** the address the gateway's LoadBalancer Service received, once the network is deployed */
  gatewayAddress?: string
  /** what this cluster cannot do, said plainly in logs and the report */
  limitations: string[]
  /** its nodes are kwok's (a sim cluster, perhaps reached as an existing one): no container runs */
  simulated?: boolean
}

/** Whether nothing runs in the cluster's pods: controllers carry no traffic, in-cluster probes cannot run. */
export function isSimulated(c: Pick<ProvisionedCluster, 'provider' | 'simulated'>): boolean {
  return c.provider === 'sim' || c.simulated === true
}

export interface ProviderOpts {
  /** where the provider keeps what it creates */
  workDir: string
  log: Logger
}

/** A program a provider runs: argv (never a shell string), plus environment it adds. */
export interface PlannedCommand {
  argv: string[]
  env?: Record<string, string>
}

/** What `create` or `delete` would do to one cluster, built by the code paths that do it. */
export interface ClusterPreview {
  name: string
  /** the kubeconfig context the cluster is reached by */
  context?: string
  /** the provider's config file for the cluster (kind config, eksctl ClusterConfig) */
  config?: string
  /** the blocks appended to the cluster's CoreDNS Corefile */
  corefilePatch?: string
  /** every program run for this cluster, in order */
  commands: PlannedCommand[]
  /** what happens without a program: Kubernetes API calls, checks */
  steps?: string[]
}

export interface ProvisionPreview {
  provider: ProviderName
  action: 'create' | 'delete'
  /** checked before anything is created or deleted */
  checks: string[]
  /** programs run once for all clusters, each with when and why */
  shared: (PlannedCommand & { when: string })[]
  clusters: ClusterPreview[]
}

export interface ClusterProvider {
  readonly name: ProviderName
  create(clusters: PlanCluster[], opts: ProviderOpts): Promise<ProvisionedCluster[]>
  delete(clusters: ProvisionedCluster[], opts: ProviderOpts): Promise<void>
  /** What `create` or `delete` of `clusters` would run, without running, writing or deleting anything. */
  describe(action: 'create' | 'delete', clusters: PlanCluster[], opts: ProviderOpts): Promise<ProvisionPreview>
  /** copies logs and state into `dir`; never throws */
  collectDiagnostics(clusters: ProvisionedCluster[], dir: string, opts: ProviderOpts): Promise<void>
}
