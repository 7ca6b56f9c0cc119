// What makes a sim cluster look like a fresh kind cluster to charts and tools: fake worker nodes
// managed by kwok, a default StorageClass "standard", the coredns Deployment, ConfigMap and
// kube-dns Service in kube-system, and the local-path-storage namespace.

import type { KubeConfig, KubernetesObject, V1Node, V1ServiceAccount } from '@kubernetes/client-node'

import { applyObjects, waitForWatch } from '../../kube/client.js'

export const KWOK_ANNOTATION = 'kwok.x-k8s.io/node'
export const STORAGE_PROVISIONER = 'rancher.io/local-path'
export const CLUSTER_DNS_IP = '10.96.0.10'
/** on every fake node, so tools can tell a sim cluster from a real one */
export const SIM_NODE_LABEL = 'baf-action/sim'

export const SIM_LIMITATIONS = [
  'pods are simulated by kwok: no container runs, so nothing answers on pod or Service addresses',
  'LoadBalancer addresses come from a loopback pool and carry no traffic unless a test binds them'
]

export function workerNodeNames(cluster: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${cluster}-worker${i === 0 ? '' : i + 1}`)
}

function node(name: string): KubernetesObject & V1Node {
  // allocatable like a roomy kind node, so charts' resource requests always fit
  const resources = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '500Gi' }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok', [SIM_NODE_LABEL]: 'true' }
    },
    spec: {},
    status: { allocatable: resources, capacity: resources, nodeInfo: { kubeletVersion: 'fake' } as never }
  }
}

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`

function kindObjects(): KubernetesObject[] {
  const labels = { 'k8s-app': 'kube-dns' }
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'local-path-storage' } },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: STORAGE_PROVISIONER,
      reclaimPolicy: 'Delete',
      // kind uses WaitForFirstConsumer; the sim binder provisions as soon as a node is selected
      volumeBindingMode: 'WaitForFirstConsumer'
    } as KubernetesObject,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: COREFILE } } as KubernetesObject,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'coredns',
            containers: [
              {
                name: 'coredns',
                image: 'registry.k8s.io/coredns/coredns:v1.12.0',
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }
                ],
                volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }]
              }
            ],
            volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }]
          }
        }
      }
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels },
      spec: {
        selector: labels,
        clusterIP: CLUSTER_DNS_IP,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }
        ]
      }
    } as KubernetesObject
  ]
}

/**
 * Creates the nodes and kind's objects, then waits (by watch) for Ready nodes and the default
 * ServiceAccount; `signal` ends the wait when a component they depend on (kwok, controller-manager) dies.
 */
export async function bootstrapSimCluster(kc: KubeConfig, cluster: string, workerNodes: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const names = workerNodeNames(cluster, workerNodes)
  await applyObjects(kc, [...names.map(node), ...kindObjects()])
  await Promise.all([
    waitForWatch<V1Node>(kc, {
      path: '/api/v1/nodes',
      query: { labelSelector: `${SIM_NODE_LABEL}=true` },
      what: `${workerNodes} Ready node(s) in ${cluster}`,
      timeoutMs,
      signal,
      done: nodes => names.every(n => nodes.get(`/${n}`)?.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True'))
    }),
    waitForWatch<V1ServiceAccount>(kc, {
      path: '/api/v1/namespaces/default/serviceaccounts',
      what: `the default ServiceAccount in ${cluster}`,
      timeoutMs,
      signal,
      done: sas => sas.has('default/default')
    })
  ])
}
