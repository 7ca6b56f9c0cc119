// The normalised network: organisations grouped into clusters (one per `k8s.context`), every
// node with its ports, and the public names under which other clusters reach it. Everything
// downstream (plan, deploy, probes, report) reads this, never the raw YAML.

import type { Platform, ProxyKind } from './platforms.js'
import type { NetworkFile } from './types.js'

export type NodeKind = 'validator' | 'member' | 'peer' | 'orderer' | 'ca' | 'notary' | 'trustee' | 'steward' | 'endorser'

/** how a port is spoken, which decides how a gateway routes it and how a probe checks it */
export type PortProtocol = 'tcp' | 'http' | 'ws' | 'tls' | 'grpc-tls'

export interface NodePort {
  name: string
  port: number
  protocol: PortProtocol
  /** reached from other clusters through the gateway */
  external: boolean
  /** the port the user pinned on the gateway (`ambassador:`), if any */
  published?: number
  /** JSON Pointer of the port's spec, for located messages */
  pointer: string
}

export interface NetworkNode {
  name: string
  org: string
  kind: NodeKind
  bootnode: boolean
  ports: NodePort[]
  pointer: string
}

export interface Organization {
  name: string
  index: number
  cluster: string
  context: string
  namespace: string
  /** DNS suffix of the names other clusters use; Kubernetes-internal when proxy is none */
  externalUrlSuffix: string
  role?: string
  nodes: NetworkNode[]
  pointer: string
}

export interface Cluster {
  name: string
  context: string
  organizations: string[]
  /** fake nodes (sim) or worker nodes (kind/cloud) */
  workerNodes: number
  kubernetesVersion?: string
}

export interface AmbassadorPorts {
  ports: number[]
  ranges: [number, number][]
}

/** Whose charts deploy the network: ours (charts/), or Bevel's published ones, for parity with Bevel. */
export type ChartSource = 'baf' | 'bevel'
export const CHART_SOURCES: readonly ChartSource[] = ['baf', 'bevel']

export interface Network {
  file: string
  platform: Platform
  version: string
  consensus?: string
  proxy: ProxyKind
  /** namespace of the gateway controller in every cluster */
  proxyNamespace: string
  ambassadorPorts?: AmbassadorPorts
  organizations: Organization[]
  clusters: Cluster[]
  seed?: string
  /** `baf.chart_source`, or the `chart-source` input that overrides it; default baf */
  chartSource: ChartSource
  /** the document as written; holds credentials, so it is never printed */
  spec: NetworkFile
}
