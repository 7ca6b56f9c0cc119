// One interface per DLT platform: what it computes once for the whole network (keys, genesis),
// and the chart, values and Secrets of each release of the plan. Adding GoQuorum or geth is one
// more folder under src/platforms and one line in the registry.

import type { KubernetesObject } from '@kubernetes/client-node'

import type { Network } from '../model/network.js'
import type { Plan, PlanRelease } from '../plan/types.js'
import type { ProviderName } from '../providers/provider.js'

export type { ChartSource } from '../model/network.js'
export { CHART_SOURCES } from '../model/network.js'

export interface ReleaseSpec {
  /** chart directory (ours, under charts/) or a reference Helm understands */
  chart: string
  /** the Helm repository of an upstream chart, pinned by `version`; absent for our charts */
  repo?: string
  version?: string
  values: Record<string, unknown>
  /** created with server-side apply before the release; their data never reaches Helm or a log */
  secrets: KubernetesObject[]
  /**
   * Jobs of the release (plain ones, not Helm hooks) that must have succeeded before the releases
   * depending on it start: Helm's --wait does not wait for them
   */
  awaitJobs?: string[]
  /**
   * Files an upstream chart reads with .Files.Get, taken at install time from ConfigMaps an earlier
   * release made: the chart is pulled, the files are written into it, and it is installed from there
   */
  chartFiles?: ChartFilesFrom
}

export interface ChartFilesFrom {
  cluster: string
  namespace: string
  files: { path: string; configMap: string; key: string }[]
}

/** What the report and the probes may know about a node: nothing secret. */
export interface NodeIdentity {
  node: string
  org: string
  /** absent when the charts generate the keys in the cluster (Bevel's): nothing is known ahead */
  address?: string
  enode?: string
}

export interface PreparedNetwork {
  identities: NodeIdentity[]
  release(release: PlanRelease): ReleaseSpec
}

export interface PrepareOpts {
  seed?: string
  chartsDir: string
  /** cluster name -> where it came from: upstream charts pick storage and cloud features by it */
  clusterProviders?: Record<string, ProviderName>
}

export interface PlatformDeployer {
  prepare(network: Network, plan: Plan, opts: PrepareOpts): PreparedNetwork
}
