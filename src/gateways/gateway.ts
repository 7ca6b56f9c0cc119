// One interface per gateway kind: the upstream controller release (pinned), the per-node routes
// (ours), and what a cluster without the controller (sim) still needs for those routes to be
// accepted by the API server.

import type { KubernetesObject } from '@kubernetes/client-node'

import type { ProxyKind } from '../model/platforms.js'
import type { Listener, PlanCluster } from '../plan/types.js'

export interface ControllerRelease {
  name: string
  namespace: string
  /** Helm repository URL and chart name, pinned by version */
  repo: string
  chart: string
  version: string
  values: Record<string, unknown>
  /** CRDs the controller needs applied first, when its chart does not carry them */
  crdsManifest?: string
}

export interface Gateway {
  readonly kind: ProxyKind
  /** the controller, its LoadBalancer Service publishing every TCP listener of the cluster */
  controller(cluster: PlanCluster): ControllerRelease | undefined
  /** cluster-wide objects the routes rely on (Emissary's HTTP/HTTPS Listeners, ...) */
  clusterObjects(cluster: PlanCluster): KubernetesObject[]
  /** the routes of one node: everything on the gateway that targets it */
  routes(listeners: Listener[]): KubernetesObject[]
  /** CustomResourceDefinitions the routes need when the controller is not installed */
  routeCrds(): KubernetesObject[]
}

/** `namespace/service:port`, the TCP-services notation of ingress-nginx and haproxy-ingress */
export function tcpTarget(l: Listener): string {
  return `${l.target.namespace}/${l.target.service}:${l.target.port}`
}

export function tcpListeners(cluster: PlanCluster): Listener[] {
  return cluster.gateway.listeners.filter(l => l.protocol === 'tcp')
}

/** gateway port -> `namespace/service:port` for every TCP listener: the controllers' tcp-services map */
export function tcpServices(cluster: PlanCluster): Record<string, string> {
  return Object.fromEntries(tcpListeners(cluster).map(l => [String(l.port), tcpTarget(l)]))
}

/** a route's name: the node and what it routes, DNS-safe */
export function routeName(l: Listener): string {
  return `${l.target.service}-${l.protocol}-${l.port}`.slice(0, 63).replace(/-+$/, '')
}
