import type { PlanCluster } from '../plan/types.js'
import type { Gateway } from './gateway.js'
import { tcpServices } from './gateway.js'
import { ingressRoutes } from './ingress.js'

/**
 * jcmoraisjr/haproxy-ingress, the controller Bevel bundles (chart 0.14.6): SNI passthrough per
 * Ingress host (Bevel's `ssl-passthrough` annotation), TCP services for the p2p ports.
 */
export const haproxyGateway: Gateway = {
  kind: 'haproxy',
  controller(cluster: PlanCluster) {
    return {
      name: 'haproxy-ingress',
      namespace: cluster.gateway.namespace,
      repo: 'https://haproxy-ingress.github.io/charts',
      chart: 'haproxy-ingress',
      version: '0.14.6',
      values: {
        controller: {
          ingressClassResource: { enabled: true },
          ingressClass: 'haproxy',
          service: { type: 'LoadBalancer' },
          // p2p ports: one gateway port per node, straight TCP
          tcp: tcpServices(cluster)
        }
      }
    }
  },
  clusterObjects: () => [],
  routes: listeners => ingressRoutes(listeners, 'haproxy', { 'haproxy-ingress.github.io/ssl-passthrough': 'true', 'ingress.kubernetes.io/ssl-passthrough': 'true' }),
  routeCrds: () => []
}
