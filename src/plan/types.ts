// The plan: everything that will be created, where, and in which order, computed from the
// network alone (no cluster is touched). `baf plan --json` prints it; docs/plan-schema.md
// documents it; deploy, probe and report read it from the state file.

import type { PortProtocol } from '../model/network.js'
import type { Platform, ProxyKind } from '../model/platforms.js'
import type { ProbeSpec } from '../probe/types.js'

export const PLAN_VERSION = 1

export interface Plan {
  version: typeof PLAN_VERSION
  network: {
    file: string
    platform: Platform
    platformVersion: string
    consensus?: string
    proxy: ProxyKind
    /** false for platforms that baf-action validates and plans but cannot deploy yet */
    deployable: boolean
  }
  clusters: PlanCluster[]
  /** every release of every cluster, in an order that respects dependencies */
  releases: PlanRelease[]
  endpoints: Endpoint[]
  probes: ProbeSpec[]
}

export interface PlanCluster {
  name: string
  context: string
  organizations: string[]
  namespaces: string[]
  workerNodes: number
  kubernetesVersion?: string
  gateway: PlanGateway
  /** DNS suffixes served by this cluster's gateway; other clusters resolve `*.<suffix>` to it */
  dnsSuffixes: string[]
}

export interface PlanGateway {
  kind: ProxyKind
  namespace: string
  listeners: Listener[]
}

/** one route on a gateway: a TCP port, or a host name on a shared HTTP/TLS port */
export interface Listener {
  port: number
  protocol: 'tcp' | 'http' | 'tls'
  /** HTTP Host or TLS SNI this route matches; absent for a plain TCP port */
  host?: string
  /** TLS passes through to the node (SNI routing without termination) */
  passthrough: boolean
  target: { node: string; namespace: string; service: string; port: number }
}

export type ReleaseKind = 'gateway' | 'genesis' | 'node' | 'channel'

export interface PlanRelease {
  /** `<cluster>/<namespace>/<name>`, unique across the plan */
  id: string
  name: string
  cluster: string
  namespace: string
  kind: ReleaseKind
  chart: string
  /** the node this release runs, for node releases */
  node?: string
  org?: string
  dependsOn: string[]
  /** releases of the same wave have no dependency on each other and are installed in parallel */
  wave: number
}

export interface Endpoint {
  node: string
  org: string
  cluster: string
  name: string
  protocol: PortProtocol
  /** how other clusters reach it */
  host: string
  port: number
  /** the Kubernetes Service behind it */
  service: { name: string; namespace: string; port: number }
}
