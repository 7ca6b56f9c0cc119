// LoadBalancer addresses on kind: MetalLB in L2 mode, one address pool per cluster carved from
// the shared `kind` Docker network. Every cluster's pool is known before any gateway exists, so the
// DNS wiring can be computed up front, and the addresses are reachable from every other cluster
// on the same network. Why MetalLB and not cloud-provider-kind: docs/providers.md.

import type { KubernetesObject } from '@kubernetes/client-node'

import type { Ipv4Range } from './config.js'

export const METALLB = {
  chart: 'metallb',
  repo: 'https://metallb.github.io/metallb',
  version: '0.14.9',
  namespace: 'metallb-system',
  release: 'metallb'
} as const

export const POOL_NAME = 'baf-gateways'

/** `helm upgrade --install` of MetalLB; helm checks the chart's digest against the repository index. */
export function metallbHelmArgs(kubeconfig: string): string[] {
  return [
    'upgrade',
    '--install',
    METALLB.release,
    METALLB.chart,
    '--repo',
    METALLB.repo,
    '--version',
    METALLB.version,
    '--namespace',
    METALLB.namespace,
    '--create-namespace',
    '--wait',
    '--timeout',
    '5m',
    '--kubeconfig',
    kubeconfig
  ]
}

export function poolObjects(pool: Ipv4Range): KubernetesObject[] {
  return [
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: POOL_NAME, namespace: METALLB.namespace },
      spec: { addresses: [`${pool.first}-${pool.last}`] }
    } as KubernetesObject,
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: POOL_NAME, namespace: METALLB.namespace },
      spec: { ipAddressPools: [POOL_NAME] }
    } as KubernetesObject
  ]
}
