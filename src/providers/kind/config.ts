// Pure parts of the kind provider: one kind config per cluster with its own pod and Service CIDRs,
// and per-cluster LoadBalancer pools carved from the shared `kind` Docker network.

import { stringify } from 'yaml'

import type { PlanCluster } from '../../plan/types.js'

export const MAX_KIND_CLUSTERS = 12

export interface ClusterCidrs {
  pods: string
  services: string
}

/**
 * Disjoint CIDRs per cluster (kind's defaults are 10.244.0.0/16 and 10.96.0.0/16 for every cluster),
 * so routes or flat-network setups between clusters never see the same address twice.
 */
export function clusterCidrs(index: number): ClusterCidrs {
  if (index < 0 || index >= MAX_KIND_CLUSTERS) throw new Error(`kind: at most ${MAX_KIND_CLUSTERS} clusters per network (cluster #${index + 1} asked for)`)
  return { pods: `10.${20 + index}.0.0/16`, services: `10.${120 + index}.0.0/16` }
}

/** The kind config for the `index`-th cluster of a plan. */
export function kindConfig(cluster: PlanCluster, index: number, nodeImage: string): string {
  const cidrs = clusterCidrs(index)
  const doc = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: cluster.name,
    networking: {
      // the host reaches the API server on loopback; the other clusters reach it on the `kind`
      // network as https://<name>-control-plane:6443 (kind get kubeconfig --internal)
      apiServerAddress: '127.0.0.1',
      podSubnet: cidrs.pods,
      serviceSubnet: cidrs.services
    },
    nodes: [{ role: 'control-plane', image: nodeImage }, ...Array.from({ length: Math.max(1, cluster.workerNodes) }, () => ({ role: 'worker', image: nodeImage }))]
  }
  return stringify(doc, { lineWidth: 0 })
}

// --- IPv4 arithmetic for the pools -------------------------------------------------------------

export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number)
  if (parts.length !== 4 || parts.some(p => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${ip}`)
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3]
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

export interface Ipv4Range {
  first: string
  last: string
}

/** `docker network inspect kind --format '{{json .IPAM.Config}}'` -> the IPv4 subnet. */
export function parseNetworkSubnet(stdout: string): string {
  let config: { Subnet?: string }[]
  try {
    config = JSON.parse(stdout.trim()) as { Subnet?: string }[]
  } catch {
    throw new Error(`docker network inspect kind: unexpected output: ${stdout.slice(0, 200)}`)
  }
  const v4 = (config ?? []).map(c => c.Subnet).find(s => s && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s))
  if (!v4) throw new Error(`the kind network has no IPv4 subnet (${stdout.trim().slice(0, 200)})`)
  return v4
}

/**
 * `count` pools of `size` addresses from the top of `subnet`, below its last block (the broadcast
 * address). Docker hands container addresses out from the bottom, so the top stays free; every
 * pool must stay in the upper half of the subnet.
 */
export function carvePools(subnet: string, count: number, size = 16): Ipv4Range[] {
  const [base, bitsText] = subnet.split('/')
  const bits = Number(bitsText)
  if (!Number.isInteger(bits) || bits < 8 || bits > 30) throw new Error(`cannot carve pools from ${subnet}`)
  const span = 2 ** (32 - bits)
  const start = (ipToInt(base) & ~(span - 1)) >>> 0
  const end = start + span - 1
  const pools: Ipv4Range[] = []
  for (let k = 0; k < count; k++) {
    const last = end - size * (k + 1)
    const first = last - size + 1
    if (first < start + span / 2) throw new Error(`the kind network ${subnet} is too small for ${count} pool(s) of ${size} addresses`)
    pools.push({ first: intToIp(first >>> 0), last: intToIp(last >>> 0) })
  }
  return pools
}
