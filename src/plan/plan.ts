import type { Network, NetworkNode, Organization } from '../model/network.js'
import { publicHost } from '../model/names.js'
import { PLATFORM_INFO } from '../model/platforms.js'
import { gatewayFor } from '../gateways/registry.js'
import { HTTP_PORT, routeKind, TcpPortAllocator, TLS_PORT } from './gateways.js'
import { planProbes } from './probes.js'
import { BEVEL_BESU_CHART_VERSION, bevelServiceName } from '../platforms/besu/bevel-rules.js'
import type { Endpoint, Listener, Plan, PlanCluster, PlanRelease } from './types.js'
import { PLAN_VERSION } from './types.js'

/** A cluster with no network in it (`baf cluster create --name`): no organisations, no gateway. */
export function bareCluster(name: string, workerNodes = 1): PlanCluster {
  return { name, context: name, organizations: [], namespaces: [], workerNodes, gateway: { kind: 'none', namespace: '', listeners: [] }, dnsSuffixes: [] }
}

/** Network -> Plan. Pure and deterministic: the same file always gives the same plan. */
export function buildPlan(net: Network): Plan {
  const endpoints: Endpoint[] = []
  const clusters = net.clusters.map(c => planCluster(net, c.name, endpoints))
  const releases = orderReleases(net, clusters)
  return {
    version: PLAN_VERSION,
    network: {
      file: net.file,
      platform: net.platform,
      platformVersion: net.version,
      consensus: net.consensus,
      proxy: net.proxy,
      deployable: PLATFORM_INFO[net.platform].deployable
    },
    clusters,
    releases,
    endpoints,
    probes: planProbes(net, clusters, endpoints)
  }
}

function orgsOf(net: Network, cluster: string): Organization[] {
  return net.organizations.filter(o => o.cluster === cluster)
}

function planCluster(net: Network, name: string, endpoints: Endpoint[]): PlanCluster {
  const cluster = net.clusters.find(c => c.name === name)!
  const orgs = orgsOf(net, name)
  const listeners: Listener[] = []
  const tcpPorts = new TcpPortAllocator()
  // user-pinned ports first, so automatic ones never take them
  for (const org of orgs) for (const node of org.nodes) for (const p of node.ports) if (p.published !== undefined) tcpPorts.reserve(p.published)

  for (const org of orgs) {
    for (const node of org.nodes) {
      for (const port of node.ports) {
        const service = { name: serviceName(net, node), namespace: org.namespace, port: port.port }
        if (net.proxy === 'none') {
          endpoints.push(endpoint(node, org, name, port.name, port.protocol, `${service.name}.${org.namespace}.svc.cluster.local`, port.port, service))
          continue
        }
        if (!port.external) continue
        const host = publicHost(net.platform, org.name, node.name, port.name, org.externalUrlSuffix)
        const kind = routeKind(port)
        const gatewayPort = kind === 'tcp' ? tcpPorts.allocate(port.published) : kind === 'http' ? HTTP_PORT : TLS_PORT
        listeners.push({
          port: gatewayPort,
          protocol: kind,
          host: kind === 'tcp' ? undefined : host,
          passthrough: kind === 'tls',
          target: { node: node.name, namespace: org.namespace, service: service.name, port: port.port }
        })
        endpoints.push(endpoint(node, org, name, port.name, port.protocol, host, gatewayPort, service))
      }
    }
  }
  listeners.sort((a, b) => a.port - b.port || (a.host ?? '').localeCompare(b.host ?? ''))
  return {
    name,
    context: cluster.context,
    organizations: orgs.map(o => o.name),
    namespaces: [...(net.proxy === 'none' ? [] : [net.proxyNamespace]), ...orgs.map(o => o.namespace)],
    workerNodes: cluster.workerNodes,
    kubernetesVersion: cluster.kubernetesVersion,
    gateway: { kind: net.proxy, namespace: net.proxy === 'none' ? '' : net.proxyNamespace, listeners },
    dnsSuffixes: net.proxy === 'none' ? [] : [...new Set(orgs.map(o => o.externalUrlSuffix))]
  }
}

/** the Service a node's chart creates: ours names it after the node, Bevel's after chart and release */
function serviceName(net: Network, node: NetworkNode): string {
  return net.chartSource === 'bevel' ? bevelServiceName(node.name) : node.name
}

/** how the plan shows a release's chart: ours by folder, Bevel's by repository name and pinned version */
function chartLabel(net: Network, chart: string): string {
  return net.chartSource === 'bevel' ? `bevel/${chart}@${BEVEL_BESU_CHART_VERSION}` : `baf/${chart}`
}

function endpoint(
  node: NetworkNode,
  org: Organization,
  cluster: string,
  name: string,
  protocol: Endpoint['protocol'],
  host: string,
  port: number,
  service: Endpoint['service']
): Endpoint {
  return { node: node.name, org: org.name, cluster, name, protocol, host, port, service }
}

/** The bootnodes: the nodes marked so; without one the first validator serves, so members have a peer to find. */
export function bootnodesOf(net: Network): NetworkNode[] {
  const all = net.organizations.flatMap(o => o.nodes)
  const marked = all.filter(n => n.bootnode)
  return marked.length > 0 ? marked : all.filter(n => n.kind === 'validator').slice(0, 1)
}

/** Releases with their dependencies, then sorted into waves (longest dependency chain first). */
function orderReleases(net: Network, clusters: PlanCluster[]): PlanRelease[] {
  const releases: PlanRelease[] = []
  const add = (r: Omit<PlanRelease, 'id' | 'wave'>): PlanRelease => {
    const release = { ...r, id: `${r.cluster}/${r.namespace}/${r.name}`, wave: 0 }
    releases.push(release)
    return release
  }
  const gatewayOf = new Map<string, string>()
  if (net.proxy !== 'none') {
    for (const c of clusters) {
      const controller = gatewayFor(net.proxy).controller(c)!
      gatewayOf.set(c.name, add({ name: controller.name, cluster: c.name, namespace: c.gateway.namespace, kind: 'gateway', chart: `${controller.chart}@${controller.version}`, dependsOn: [] }).id)
    }
  }
  const gatewayDeps = (cluster: string): string[] => (gatewayOf.has(cluster) ? [gatewayOf.get(cluster)!] : [])

  if (net.platform === 'fabric') fabricReleases(net, add, gatewayDeps)
  else if (net.platform === 'besu' || net.platform === 'quorum' || net.platform === 'geth') ethereumReleases(net, add, gatewayDeps, releases)
  else {
    for (const org of net.organizations) {
      for (const node of org.nodes) {
        add({ name: node.name, cluster: org.cluster, namespace: org.namespace, kind: 'node', chart: `baf/${net.platform}-node`, node: node.name, org: org.name, dependsOn: gatewayDeps(org.cluster) })
      }
    }
  }
  return assignWaves(releases)
}

type AddRelease = (r: Omit<PlanRelease, 'id' | 'wave'>) => PlanRelease

/**
 * Genesis per organisation namespace; then every validator (bootnodes among them: keys and enodes
 * are computed before anything is installed, so validators need not wait for each other); then
 * the members, once the bootnodes they sync from are ready.
 */
function ethereumReleases(net: Network, add: AddRelease, gatewayDeps: (c: string) => string[], releases: PlanRelease[]): void {
  const p = net.platform
  const genesis = new Map<string, string>()
  for (const org of net.organizations) {
    genesis.set(org.name, add({ name: 'genesis', cluster: org.cluster, namespace: org.namespace, kind: 'genesis', chart: chartLabel(net, `${p}-genesis`), org: org.name, dependsOn: [] }).id)
  }
  const all = net.organizations.flatMap(o => o.nodes.map(n => ({ org: o, node: n })))
  const validators = all.filter(x => x.node.kind === 'validator')
  const bootnodes = new Set(bootnodesOf(net))
  const boot = all.filter(x => bootnodes.has(x.node))
  const bootIds: string[] = []
  const node = (x: (typeof all)[number], deps: string[]): string =>
    add({ name: x.node.name, cluster: x.org.cluster, namespace: x.org.namespace, kind: 'node', chart: chartLabel(net, `${p}-node`), node: x.node.name, org: x.org.name, dependsOn: [genesis.get(x.org.name)!, ...gatewayDeps(x.org.cluster), ...deps] }).id
  for (const x of [...boot, ...validators.filter(v => !boot.includes(v))]) {
    const id = node(x, [])
    if (boot.includes(x)) bootIds.push(id)
  }
  for (const x of all) {
    if (boot.includes(x) || validators.includes(x)) continue
    node(x, bootIds)
  }
  if (net.chartSource === 'bevel') bevelOrder(net, releases)
}

/**
 * Bevel's charts, in the order Bevel's playbooks keep. Each besu-node pre-install hook adds its
 * enode to the namespace's besu-peers (and a bootnode's to besu-bootnodes) by read, edit and
 * `kubectl replace`, which two hooks running at once would undo for each other: the nodes of a
 * namespace go one after the other. The other organisations start from a copy of the first one's
 * genesis, static nodes and bootnodes (docs/bevel-charts.md), complete once every node of the
 * first organisation is in.
 */
function bevelOrder(net: Network, releases: PlanRelease[]): void {
  const [first, ...others] = net.organizations
  if (!first) return
  for (const org of net.organizations) {
    const nodes = releases.filter(r => r.org === org.name && r.kind === 'node')
    nodes.forEach((r, i) => {
      if (i > 0 && !r.dependsOn.includes(nodes[i - 1].id)) r.dependsOn = [...r.dependsOn, nodes[i - 1].id]
    })
  }
  const firstReleases = releases.filter(r => r.org === first.name).map(r => r.id)
  for (const org of others) {
    // an organisation with a bootnode would wait for itself; checkBevelCharts refuses it anyway
    if (org.nodes.some(n => n.bootnode)) continue
    const genesis = releases.find(r => r.org === org.name && r.kind === 'genesis')
    if (genesis) genesis.dependsOn = [...firstReleases, ...genesis.dependsOn]
  }
}

/** CA, then orderers, then peers, then per channel a create and a join per participant (Bevel's order). */
function fabricReleases(net: Network, add: AddRelease, gatewayDeps: (c: string) => string[]): void {
  const caOf = new Map<string, string>()
  const ordererIds: string[] = []
  const peerIds = new Map<string, string[]>()
  const nodes = (kind: string) => net.organizations.flatMap(o => o.nodes.filter(n => n.kind === kind).map(n => ({ org: o, node: n })))
  for (const { org, node } of nodes('ca')) {
    caOf.set(org.name, add({ name: node.name, cluster: org.cluster, namespace: org.namespace, kind: 'node', chart: 'baf/fabric-ca', node: node.name, org: org.name, dependsOn: gatewayDeps(org.cluster) }).id)
  }
  const ca = (org: string): string[] => (caOf.has(org) ? [caOf.get(org)!] : [])
  for (const { org, node } of nodes('orderer')) {
    ordererIds.push(add({ name: node.name, cluster: org.cluster, namespace: org.namespace, kind: 'node', chart: 'baf/fabric-orderer', node: node.name, org: org.name, dependsOn: [...ca(org.name), ...gatewayDeps(org.cluster)] }).id)
  }
  for (const { org, node } of nodes('peer')) {
    const id = add({ name: node.name, cluster: org.cluster, namespace: org.namespace, kind: 'node', chart: 'baf/fabric-peer', node: node.name, org: org.name, dependsOn: [...ca(org.name), ...ordererIds, ...gatewayDeps(org.cluster)] }).id
    peerIds.set(org.name, [...(peerIds.get(org.name) ?? []), id])
  }
  for (const channel of net.spec.network.channels ?? []) {
    const slug = channel.channel_name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 40)
    const creator = channel.participants.find(p => p.type === 'creator') ?? channel.participants[0]
    const creatorOrg = net.organizations.find(o => o.name === creator?.name)
    if (!creatorOrg) continue
    const participantPeers = channel.participants.flatMap(p => peerIds.get(p.name) ?? [])
    const create = add({ name: `channel-${slug}`, cluster: creatorOrg.cluster, namespace: creatorOrg.namespace, kind: 'channel', chart: 'baf/fabric-channel-create', org: creatorOrg.name, dependsOn: [...ordererIds, ...participantPeers] })
    for (const p of channel.participants) {
      const org = net.organizations.find(o => o.name === p.name)
      if (!org) continue
      add({ name: `join-${slug}`, cluster: org.cluster, namespace: org.namespace, kind: 'channel', chart: 'baf/fabric-channel-join', org: org.name, dependsOn: [create.id, ...(peerIds.get(org.name) ?? [])] })
    }
  }
}

function assignWaves(releases: PlanRelease[]): PlanRelease[] {
  const byId = new Map(releases.map(r => [r.id, r]))
  const wave = new Map<string, number>()
  const visit = (r: PlanRelease, depth: number): number => {
    const known = wave.get(r.id)
    if (known !== undefined) return known
    if (depth > releases.length) throw new Error(`dependency cycle at release ${r.id}`)
    const w = r.dependsOn.reduce((max, d) => Math.max(max, visit(byId.get(d)!, depth + 1) + 1), 0)
    wave.set(r.id, w)
    return w
  }
  for (const r of releases) r.wave = visit(r, 0)
  // stable: by wave, then in the order the network lists them
  return releases.map((r, i) => ({ r, i })).sort((a, b) => a.r.wave - b.r.wave || a.i - b.i).map(x => x.r)
}
