// The probe list: every endpoint from every other cluster, plus the paths that must be denied.

import type { Network } from '../model/network.js'
import type { NodeIdentity } from '../platforms/platform.js'
import type { DltExpectations, ExpectedValidator, ProbeLayer, ProbeProtocol, ProbeSpec } from '../probe/types.js'
import type { Endpoint, PlanCluster } from './types.js'

/**
 * Control-plane and node ports that tenant isolation keeps closed (etcd 2379/2380, kubelet
 * 10250, controller-manager 10257, scheduler 10259: the a9s Kubernetes isolation table); a
 * gateway address that answers on them exposes more than the network.
 */
export const DEFAULT_DENY_PORTS = [2379, 2380, 10250, 10257, 10259]

/** An SNI no route matches: the gateway must refuse it (or answer with its default certificate). */
export const UNROUTED_SNI_LABEL = 'baf-unrouted'

const ETHEREUM = new Set(['besu', 'quorum', 'geth'])

function layersFor(net: Network, e: Endpoint): { layers: ProbeLayer[]; protocol: ProbeProtocol } {
  const dns: ProbeLayer[] = net.proxy === 'none' ? [] : ['dns']
  switch (e.protocol) {
    case 'http':
      if (e.name === 'rpc' && ETHEREUM.has(net.platform)) return { layers: [...dns, 'tcp', 'protocol', 'dlt'], protocol: 'json-rpc' }
      return { layers: [...dns, 'tcp', 'protocol'], protocol: 'http' }
    case 'ws':
      return { layers: [...dns, 'tcp'], protocol: 'tcp' }
    case 'tls':
      return { layers: [...dns, 'tcp', 'tls'], protocol: 'tls' }
    case 'grpc-tls':
      return { layers: [...dns, 'tcp', 'tls', 'protocol'], protocol: 'grpc' }
    default:
      return { layers: [...dns, 'tcp'], protocol: 'tcp' }
  }
}

export function planProbes(net: Network, clusters: PlanCluster[], endpoints: Endpoint[]): ProbeSpec[] {
  const probes: ProbeSpec[] = []
  const external = net.proxy === 'none' ? endpoints : endpoints.filter(e => clusters.find(c => c.name === e.cluster)?.gateway.listeners.some(l => l.target.node === e.node))
  const sources = (target: string): string[] => {
    const others = clusters.filter(c => c.name !== target).map(c => c.name)
    // one cluster: probe its own endpoints from inside it (through its gateway when there is one)
    return others.length > 0 ? others : [target]
  }
  const validatorSet: ExpectedValidator[] = net.organizations.flatMap(o => o.nodes.filter(n => n.kind === 'validator').map(n => ({ org: o.name, node: n.name })))
  const allNodes = net.organizations.flatMap(o => o.nodes).length
  // every node gets the enodes of all the others as static nodes (a full mesh): a node with fewer
  // peers than that misses a route, a static-nodes entry or a bootnode
  const dlt = (): DltExpectations => ({
    platform: net.platform,
    minPeers: Math.max(0, allNodes - 1),
    validators: validatorSet.length,
    ...(validatorSet.length > 0 ? { validatorSet: validatorSet.map(v => ({ ...v })) } : {})
  })

  for (const e of external) {
    const { layers, protocol } = layersFor(net, e)
    for (const from of sources(e.cluster)) {
      probes.push({
        id: `${from}->${e.host}:${e.port}`,
        from,
        target: { host: e.host, port: e.port, sni: protocol === 'tls' || protocol === 'grpc' ? e.host : undefined, node: e.node, org: e.org, cluster: e.cluster, endpoint: e.name },
        protocol,
        layers,
        expect: 'allow',
        required: true,
        reason: `${e.org}/${e.node} ${e.name} reached from ${from === e.cluster ? 'its own cluster' : `cluster ${from}`}`,
        dlt: layers.includes('dlt') ? dlt() : undefined
      })
    }
  }

  if (net.proxy !== 'none') {
    const extraDeny = net.spec.baf?.probes?.deny_ports
    const denyPorts = extraDeny ?? DEFAULT_DENY_PORTS
    for (const target of clusters) {
      const suffix = target.dnsSuffixes[0]
      if (!suffix) continue
      for (const from of sources(target.name)) {
        const unrouted = `${UNROUTED_SNI_LABEL}.${suffix}`
        probes.push({
          id: `${from}->${unrouted}:443`,
          from,
          target: { host: unrouted, port: 443, sni: unrouted, cluster: target.name },
          protocol: 'tls',
          layers: ['dns', 'tcp', 'tls'],
          expect: 'deny',
          required: true,
          reason: `the gateway of ${target.name} must not route an unknown SNI`
        })
        for (const port of denyPorts) {
          const host = `baf-gateway.${suffix}`
          probes.push({
            id: `${from}->${host}:${port}`,
            from,
            target: { host, port, cluster: target.name },
            protocol: 'tcp',
            layers: ['dns', 'tcp'],
            expect: 'deny',
            required: extraDeny !== undefined,
            reason: `port ${port} must be closed on the gateway of ${target.name} (tenant isolation)`
          })
        }
      }
    }
  }

  for (const extra of net.spec.baf?.probes?.extra ?? []) {
    const from = clusters.find(c => c.name === extra.from || c.context === extra.from)?.name ?? extra.from
    const layers = extra.layers ?? (extra.sni ? ['dns', 'tcp', 'tls'] : ['dns', 'tcp'])
    probes.push({
      id: `${from}->${extra.host}:${extra.port}${extra.sni ? `#${extra.sni}` : ''}`,
      from,
      target: { host: extra.host, port: extra.port, sni: extra.sni },
      protocol: layers.includes('tls') ? 'tls' : 'tcp',
      layers,
      expect: extra.expect ?? 'allow',
      required: true,
      reason: 'declared in baf.probes.extra'
    })
  }
  return probes
}

/**
 * The probe phase's half of the validator expectation: each planned validator's address from the
 * identities the deploy recorded. A spec keeps the count alone (and is returned as it was) unless
 * every one of its validators has a known address (Bevel's charts generate keys in the clusters).
 */
export function expectValidators(specs: ProbeSpec[], identities: NodeIdentity[] | undefined): ProbeSpec[] {
  const addressOf = new Map((identities ?? []).filter(i => i.address).map(i => [`${i.org}/${i.node}`, i.address!]))
  return specs.map(s => {
    const set = s.dlt?.validatorSet
    if (!s.dlt || !set || set.length === 0) return s
    const filled = set.map(v => ({ org: v.org, node: v.node, address: addressOf.get(`${v.org}/${v.node}`) }))
    if (filled.some(v => v.address === undefined)) return s
    return { ...s, dlt: { ...s.dlt, validatorSet: filled } }
  })
}
