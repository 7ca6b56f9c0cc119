import type { AmbassadorPorts, Cluster, Network, NetworkNode, NodeKind, NodePort, Organization, PortProtocol } from './network.js'
import { clusterNameFromContext } from './names.js'
import { PLATFORM_INFO } from './platforms.js'
import type { Platform, ProxyKind } from './platforms.js'
import type { EnvSpec, NetworkFile, OrganizationSpec, PortSpec } from './types.js'

interface PortInfo {
  protocol: PortProtocol
  external: boolean
}

/** Port keys of Bevel's node specs: how each is spoken and whether other clusters reach it. */
const PORTS: Record<string, PortInfo> = {
  p2p: { protocol: 'tcp', external: true },
  rpc: { protocol: 'http', external: true },
  ws: { protocol: 'ws', external: false },
  raft: { protocol: 'tcp', external: true },
  transaction_manager: { protocol: 'tls', external: true },
  tm_nodeport: { protocol: 'tls', external: true },
  tm_clientport: { protocol: 'http', external: false },
  db: { protocol: 'tcp', external: false },
  grpc: { protocol: 'grpc-tls', external: true },
  events: { protocol: 'grpc-tls', external: false },
  couchdb: { protocol: 'http', external: false },
  metrics: { protocol: 'http', external: false }
}

/**
 * Corda nodes and notaries (`corda_service_peer`/`corda_service_notary` in Bevel's schema): only
 * p2p goes through the gateway (the charts' TCPMapping); RPC is Corda's own AMQP protocol, and
 * the database and web-server ports stay inside the cluster.
 */
const CORDA_PORTS: Record<string, PortInfo> = {
  p2p: { protocol: 'tcp', external: true },
  rpc: { protocol: 'tcp', external: false },
  rpcadmin: { protocol: 'tcp', external: false },
  p2padmin: { protocol: 'tcp', external: false },
  dbtcp: { protocol: 'tcp', external: false },
  dbweb: { protocol: 'http', external: false },
  springboot: { protocol: 'http', external: false },
  expressapi: { protocol: 'http', external: false }
}

/**
 * Indy (`indy_service_steward`/`indy_service_trustee`): a steward's node (validator-to-validator)
 * and client ports are ZeroMQ over TCP, each published on its own gateway port (`ambassador:`);
 * a trustee's `server` is the identity sample's HTTP web server.
 */
const INDY_PORTS: Record<string, PortInfo> = {
  node: { protocol: 'tcp', external: true },
  client: { protocol: 'tcp', external: true },
  server: { protocol: 'http', external: true }
}

const PLATFORM_PORTS: Record<Platform, Record<string, PortInfo>> = {
  besu: PORTS,
  quorum: PORTS,
  geth: PORTS,
  fabric: PORTS,
  corda: CORDA_PORTS,
  'corda-enterprise': CORDA_PORTS,
  indy: INDY_PORTS,
  substrate: PORTS
}

/**
 * Corda's network services (doorman and networkmap; CENM's idman and networkmap) publish one HTTP
 * port, written `ports: {servicePort, targetPort}` (or `port:` for CENM's idman); the charts route
 * it by host name (`<name>.<suffix>`) through the gateway.
 */
const NETWORK_SERVICE_KEYS = new Set(['doorman', 'nms', 'idman', 'networkmap'])
export const NETWORK_SERVICE_PORT = 'service'

/**
 * Which key under `services` holds which kind of node, per platform family. A key holds a list
 * or, as Bevel writes the single ones (Corda's `notary`, `doorman`, `nms`; Indy's `trustee` and
 * `endorser`), one map. Corda's doorman/idman issue the network's certificates (kind ca); its
 * network map plays the part of the network's coordination service (kind orderer).
 */
const NODE_LISTS: Record<Platform, [key: string, kind: NodeKind][]> = {
  besu: [['validators', 'validator'], ['peers', 'member']],
  quorum: [['validators', 'validator'], ['peers', 'member']],
  geth: [['validators', 'validator'], ['peers', 'member']],
  fabric: [['ca', 'ca'], ['orderers', 'orderer'], ['peers', 'peer']],
  corda: [['doorman', 'ca'], ['nms', 'orderer'], ['notary', 'notary'], ['notaries', 'notary'], ['peers', 'peer']],
  'corda-enterprise': [['idman', 'ca'], ['networkmap', 'orderer'], ['notary', 'notary'], ['notaries', 'notary'], ['peers', 'peer']],
  indy: [['trustee', 'trustee'], ['trustees', 'trustee'], ['stewards', 'steward'], ['endorser', 'endorser'], ['endorsers', 'endorser']],
  substrate: [['peers', 'peer']]
}

const DEFAULT_PROXY_NAMESPACE: Record<ProxyKind, string> = {
  ambassador: 'ambassador',
  haproxy: 'ingress-controller',
  nginx: 'ingress-nginx',
  none: ''
}

export function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^(true|yes|enabled)$/i.test(value))
}

export function normalise(file: string, spec: NetworkFile): Network {
  const n = spec.network
  const platform = n.type as Platform
  const proxy = (n.env.proxy ?? 'none') as ProxyKind
  const organizations = n.organizations.map((org, index) => organization(platform, proxy, org, index))
  const clusters = groupClusters(spec, organizations)
  return {
    file,
    platform,
    version: String(n.version),
    consensus: consensusOf(spec),
    proxy,
    proxyNamespace: n.env.proxy_namespace ?? n.env.namespace ?? DEFAULT_PROXY_NAMESPACE[proxy] ?? '',
    ambassadorPorts: parseAmbassadorPorts(n.env),
    organizations,
    clusters,
    seed: spec.baf?.seed,
    chartSource: spec.baf?.chart_source ?? 'baf',
    spec
  }
}

export function consensusOf(spec: NetworkFile): string | undefined {
  const n = spec.network
  const raw: unknown = n.type === 'fabric' ? (n.consensus?.name ?? firstOrdererConsensus(spec)) : n.config?.consensus
  return typeof raw === 'string' ? raw.toLowerCase() : undefined
}

function firstOrdererConsensus(spec: NetworkFile): string | undefined {
  for (const org of spec.network.organizations) {
    const c = org.services?.consensus?.name ?? org.services?.orderers?.[0]?.consensus
    if (c) return c
  }
  return undefined
}

function organization(platform: Platform, proxy: ProxyKind, org: OrganizationSpec, index: number): Organization {
  const pointer = `/network/organizations/${index}`
  const namespace = `${org.name}-${PLATFORM_INFO[platform].namespaceSuffix}`
  return {
    name: org.name,
    index,
    cluster: '', // filled in by groupClusters
    context: org.k8s.context,
    namespace,
    externalUrlSuffix: proxy === 'none' ? (org.external_url_suffix ?? `${namespace}.svc.cluster.local`) : (org.external_url_suffix ?? ''),
    role: org.type,
    nodes: nodesOf(platform, org, pointer),
    pointer
  }
}

function nodesOf(platform: Platform, org: OrganizationSpec, orgPointer: string): NetworkNode[] {
  const services = (org.services ?? {}) as Record<string, unknown>
  const nodes: NetworkNode[] = []
  for (const [key, kind] of NODE_LISTS[platform]) {
    const value = services[key]
    const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : []
    list.forEach((raw, i) => {
      if (!raw || typeof raw !== 'object') return
      const spec = raw as Record<string, unknown>
      const pointer = Array.isArray(value) ? `${orgPointer}/services/${key}/${i}` : `${orgPointer}/services/${key}`
      const quorumValidator = platform === 'quorum' && kind === 'member' && spec.type === 'validator'
      nodes.push({
        name: String(spec.name),
        org: org.name,
        kind: quorumValidator ? 'validator' : kind,
        bootnode: truthy(spec.bootnode),
        ports: NETWORK_SERVICE_KEYS.has(key) ? networkServicePorts(spec, pointer) : portsOf(PLATFORM_PORTS[platform], spec, pointer),
        pointer
      })
    })
  }
  return nodes
}

function portsOf(table: Record<string, PortInfo>, spec: Record<string, unknown>, nodePointer: string): NodePort[] {
  const ports: NodePort[] = []
  for (const [name, info] of Object.entries(table)) {
    const p = spec[name] as PortSpec | undefined
    if (!p || typeof p !== 'object' || typeof p.port !== 'number') continue
    if (name === 'metrics' && p.enabled !== undefined && !truthy(p.enabled)) continue
    ports.push({ name, port: p.port, protocol: info.protocol, external: info.external, published: p.ambassador, pointer: `${nodePointer}/${name}` })
  }
  return ports
}

/** `ports: {servicePort: 8080, targetPort: 8080}` (doorman, nms, CENM networkmap) or `port: 10000` (CENM idman) */
function networkServicePorts(spec: Record<string, unknown>, nodePointer: string): NodePort[] {
  const ports = spec.ports as { servicePort?: unknown } | undefined
  const service = { protocol: 'http' as const, external: true, published: undefined }
  if (ports && typeof ports === 'object' && typeof ports.servicePort === 'number') {
    return [{ name: NETWORK_SERVICE_PORT, port: ports.servicePort, ...service, pointer: `${nodePointer}/ports` }]
  }
  // the port's own pointer is the node's: checks locate `${pointer}/port`, which is where it is written
  if (typeof spec.port === 'number') return [{ name: NETWORK_SERVICE_PORT, port: spec.port, ...service, pointer: nodePointer }]
  return []
}

function groupClusters(spec: NetworkFile, organizations: Organization[]): Cluster[] {
  const byContext = new Map<string, Cluster>()
  const taken = new Set<string>()
  for (const org of organizations) {
    let cluster = byContext.get(org.context)
    if (!cluster) {
      // own keys only: a context named "constructor" must not pick up Object.prototype.constructor
      const clusters = spec.baf?.clusters ?? {}
      const options = Object.hasOwn(clusters, org.context) ? (clusters[org.context] ?? {}) : {}
      let name = options.name ?? clusterNameFromContext(org.context)
      // two contexts can sanitise to the same name (`a_b`, `a-b`); keep them apart
      for (let i = 2; taken.has(name); i++) name = `${clusterNameFromContext(org.context).slice(0, 36)}-${i}`
      taken.add(name)
      cluster = {
        name,
        context: org.context,
        organizations: [],
        workerNodes: options.nodes ?? 1,
        kubernetesVersion: options.kubernetes_version
      }
      byContext.set(org.context, cluster)
    }
    cluster.organizations.push(org.name)
    org.cluster = cluster.name
  }
  return [...byContext.values()]
}

/** Bevel writes `ambassadorPorts` as `"15010,15020"`, `15010`, `{ports: [...]}` or `{portRange: {from, to}}`. */
export function parseAmbassadorPorts(env: EnvSpec): AmbassadorPorts | undefined {
  const raw = env.ambassadorPorts
  if (raw === undefined || raw === null) return undefined
  const result: AmbassadorPorts = { ports: [], ranges: [] }
  const addList = (v: unknown): void => {
    if (typeof v === 'number') {
      result.ports.push(v)
    } else if (typeof v === 'string') {
      for (const s of v.split(',')) if (s.trim() !== '') result.ports.push(Number(s.trim()))
    } else if (Array.isArray(v)) {
      v.forEach(addList)
    }
  }
  if (typeof raw === 'object') {
    addList(raw.ports)
    if (raw.portRange) result.ranges.push([raw.portRange.from, raw.portRange.to])
  } else addList(raw)
  return result
}

export function ambassadorPortAllowed(allowed: AmbassadorPorts, port: number): boolean {
  return allowed.ports.includes(port) || allowed.ranges.some(([from, to]) => port >= from && port <= to)
}
