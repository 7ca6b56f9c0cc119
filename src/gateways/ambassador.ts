import type { KubernetesObject } from '@kubernetes/client-node'

import type { Listener, PlanCluster } from '../plan/types.js'
import type { Gateway } from './gateway.js'
import { routeName, tcpListeners } from './gateway.js'

const API = 'getambassador.io/v3alpha1'
const EMISSARY_VERSION = '3.9.1'

/**
 * Emissary-ingress (the open-source Ambassador), routed as Bevel's Besu and Quorum charts route it:
 * a Listener and a TCPMapping per p2p port (RLPx has no SNI to route on), a Mapping per RPC host.
 * Emissary cannot pass TLS through by SNI (Bevel moved Fabric to HAProxy for that reason), so TLS
 * ports are TCPMappings with a host, which terminate.
 */
export const ambassadorGateway: Gateway = {
  kind: 'ambassador',
  controller(cluster: PlanCluster) {
    const tcp = tcpListeners(cluster)
    return {
      name: 'emissary-ingress',
      namespace: cluster.gateway.namespace,
      repo: 'https://app.getambassador.io',
      chart: 'emissary-ingress',
      version: '8.9.1',
      crdsManifest: `https://app.getambassador.io/yaml/emissary/${EMISSARY_VERSION}/emissary-crds.yaml`,
      values: {
        service: {
          type: 'LoadBalancer',
          ports: [
            { name: 'http', port: 80, targetPort: 8080 },
            { name: 'https', port: 443, targetPort: 8443 },
            ...tcp.map(l => ({ name: `tcp-${l.port}`, port: l.port, targetPort: l.port, protocol: 'TCP' }))
          ]
        }
      }
    }
  },
  clusterObjects(cluster: PlanCluster): KubernetesObject[] {
    const ns = cluster.gateway.namespace
    const listener = (name: string, port: number, protocol: string): KubernetesObject =>
      ({ apiVersion: API, kind: 'Listener', metadata: { name, namespace: ns }, spec: { port, protocol, securityModel: 'XFP', hostBinding: { namespace: { from: 'ALL' } } } }) as KubernetesObject
    return [listener('http', 8080, 'HTTP'), listener('https', 8443, 'HTTPS')]
  },
  routes(listeners: Listener[]): KubernetesObject[] {
    return listeners.flatMap((l): KubernetesObject[] => {
      const meta = { name: routeName(l), namespace: l.target.namespace, labels: { 'app.kubernetes.io/managed-by': 'baf-action', 'baf-action/node': l.target.node } }
      const service = `${l.target.service}.${l.target.namespace}:${l.target.port}`
      if (l.protocol === 'http') {
        return [{ apiVersion: API, kind: 'Mapping', metadata: meta, spec: { hostname: l.host, prefix: '/', service } } as KubernetesObject]
      }
      if (l.protocol === 'tls') {
        return [{ apiVersion: API, kind: 'TCPMapping', metadata: meta, spec: { port: 8443, host: l.host, service } } as KubernetesObject]
      }
      return [
        { apiVersion: API, kind: 'Listener', metadata: meta, spec: { port: l.port, protocol: 'TCP', securityModel: 'XFP', hostBinding: { namespace: { from: 'ALL' } } } } as KubernetesObject,
        { apiVersion: API, kind: 'TCPMapping', metadata: meta, spec: { port: l.port, service } } as KubernetesObject
      ]
    })
  },
  routeCrds: () => [crd('Listener', 'listeners', ['port', 'protocol', 'securityModel']), crd('Mapping', 'mappings', ['prefix', 'service']), crd('TCPMapping', 'tcpmappings', ['port', 'service'])]
}

/**
 * A minimal CRD of ours for an Emissary kind, for clusters where the controller and its CRDs are
 * not installed (sim): the API server still checks the fields the routes must have.
 */
function crd(kind: string, plural: string, required: string[]): KubernetesObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.getambassador.io`, labels: { 'app.kubernetes.io/managed-by': 'baf-action' } },
    spec: {
      group: 'getambassador.io',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v3alpha1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required,
                  'x-kubernetes-preserve-unknown-fields': true,
                  properties: {
                    port: { type: 'integer', minimum: 1, maximum: 65535 },
                    service: { type: 'string', minLength: 1 },
                    prefix: { type: 'string' },
                    hostname: { type: 'string' },
                    host: { type: 'string' },
                    protocol: { type: 'string', enum: ['HTTP', 'HTTPS', 'HTTPPROXY', 'HTTPSPROXY', 'TCP', 'TLS', 'UDP'] },
                    securityModel: { type: 'string', enum: ['XFP', 'SECURE', 'INSECURE'] },
                    // server-side apply needs every nested object declared, even an open one
                    hostBinding: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
                  }
                }
              }
            }
          }
        }
      ]
    }
  } as KubernetesObject
}
