// Ingress-based gateways (haproxy-ingress, ingress-nginx): HTTP routes by Host, TLS routes by SNI
// with passthrough, TCP ports through the controller's tcp-services map.

import type { KubernetesObject } from '@kubernetes/client-node'

import type { Listener } from '../plan/types.js'
import { routeName } from './gateway.js'

export function ingressRoutes(listeners: Listener[], ingressClass: string, passthroughAnnotations: Record<string, string>): KubernetesObject[] {
  return listeners
    .filter(l => l.protocol !== 'tcp' && l.host)
    .map(l => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: routeName(l),
        namespace: l.target.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'baf-action', 'baf-action/node': l.target.node },
        annotations: l.passthrough ? passthroughAnnotations : undefined
      },
      spec: {
        ingressClassName: ingressClass,
        rules: [
          {
            host: l.host,
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: l.target.service, port: { number: l.target.port } } } }]
            }
          }
        ]
      }
    }))
}
