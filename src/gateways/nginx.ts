import type { PlanCluster } from '../plan/types.js'
import type { Gateway } from './gateway.js'
import { tcpServices } from './gateway.js'
import { ingressRoutes } from './ingress.js'

/** kubernetes/ingress-nginx: SNI passthrough needs the controller flag and a per-Ingress annotation. */
export const nginxGateway: Gateway = {
  kind: 'nginx',
  controller(cluster: PlanCluster) {
    return {
      name: 'ingress-nginx',
      namespace: cluster.gateway.namespace,
      repo: 'https://kubernetes.github.io/ingress-nginx',
      chart: 'ingress-nginx',
      version: '4.11.3',
      values: {
        controller: {
          ingressClassResource: { name: 'nginx', enabled: true },
          extraArgs: { 'enable-ssl-passthrough': 'true' },
          service: { type: 'LoadBalancer' }
        },
        // the chart's tcp-services ConfigMap: gateway port -> namespace/service:port
        tcp: tcpServices(cluster)
      }
    }
  },
  clusterObjects: () => [],
  routes: listeners => ingressRoutes(listeners, 'nginx', { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' }),
  routeCrds: () => []
}
