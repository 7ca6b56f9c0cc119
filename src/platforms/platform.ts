// One interface per DLT platform: what it computes once for the whole network (keys, genesis),
// and the chart, values and Secrets of each release of the plan. Adding GoQuorum or geth is one
// more folder under src/platforms and one line in the registry.

import type { KubernetesObject } from '@kubernetes/client-node'

import type { Network } from '../model/network.js'
import type { Plan, PlanRelease } from '../plan/types.js'

export interface ReleaseSpec {
  /** chart directory (ours, under charts/) or a reference Helm understands */
  chart: string
  values: Record<string, unknown>
  /** created with server-side apply before the release; their data never reaches Helm or a log */
  secrets: KubernetesObject[]
}

/** What the report and the probes may know about a node: nothing secret. */
export interface NodeIdentity {
  node: string
  org: string
  address?: string
  enode?: string
}

export interface PreparedNetwork {
  identities: NodeIdentity[]
  release(release: PlanRelease): ReleaseSpec
}

export interface PlatformDeployer {
  prepare(network: Network, plan: Plan, opts: { seed?: string; chartsDir: string }): PreparedNetwork
}
