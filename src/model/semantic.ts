// Rules that span several values: names, references, gateway ports, consensus. Each finding is
// located at the key or value a user has to change, and says what to do about it.

import { MissingCapabilityError } from '../errors.js'
import { checkBevelCharts } from '../platforms/besu/bevel-rules.js'
import type { Diagnostic, Severity } from './diagnostics.js'
import type { Network, NetworkNode, Organization } from './network.js'
import { dnsLabelProblem, dnsNameProblem, HELM_RELEASE_MAX, publicHost } from './names.js'
import { ambassadorPortAllowed } from './normalise.js'
import { PLATFORM_INFO, PROXY_KINDS } from './platforms.js'
import type { SourceMap } from './source-map.js'

/** Ports a gateway serves by host name (HTTP Host or TLS SNI); many nodes may share them. */
const HOST_ROUTED_PORTS = new Set([80, 443, 8080, 8443])

class Findings {
  readonly list: Diagnostic[] = []
  constructor(
    private readonly file: string,
    private readonly map: SourceMap
  ) {}

  add(severity: Severity, pointer: string, message: string, atKey = false): void {
    const pos = atKey ? this.map.keyAt(pointer) : this.map.valueAt(pointer)
    this.list.push({ file: this.file, line: pos.line, col: pos.col, severity, message, path: pointer })
  }
  error(pointer: string, message: string, atKey = false): void {
    this.add('error', pointer, message, atKey)
  }
  warning(pointer: string, message: string, atKey = false): void {
    this.add('warning', pointer, message, atKey)
  }
  lineOf(pointer: string): number {
    return this.map.valueAt(pointer).line
  }
}

export function checkSemantics(net: Network, map: SourceMap): Diagnostic[] {
  const f = new Findings(net.file, map)
  checkPlatform(net, f)
  checkProxy(net, f)
  checkNames(net, f)
  checkSuffixes(net, f)
  checkPorts(net, f)
  checkConsensus(net, f)
  checkEthereumConfig(net, f)
  checkFabric(net, f)
  checkBafBlock(net, f)
  checkIgnoredSections(net, f)
  return f.list
}

function checkPlatform(net: Network, f: Findings): void {
  const info = PLATFORM_INFO[net.platform]
  if (!info.testedVersions.includes(net.version)) {
    f.warning(
      '/network/version',
      `${net.platform} ${net.version} is outside the tested versions (${info.testedVersions.join(', ')}); it will be deployed as written, but check the release notes for removed flags`
    )
  }
}

function checkProxy(net: Network, f: Findings): void {
  const proxy = net.spec.network.env.proxy
  if (proxy !== undefined && !(PROXY_KINDS as readonly string[]).includes(proxy)) {
    const hint =
      proxy === 'istio'
        ? 'Istio is used by Bevel only for the Fabric operator path, which baf-action does not deploy'
        : 'use one of them'
    f.error('/network/env/proxy', `proxy "${proxy}" is not supported; expected one of: ${PROXY_KINDS.join(', ')} (${hint})`)
    return
  }
  if (net.proxy === 'none' && net.clusters.length > 1) {
    f.error(
      '/network/env/proxy',
      `proxy "none" cannot connect organisations on ${net.clusters.length} clusters (${net.clusters.map(c => c.context).join(', ')}): set proxy to haproxy, ambassador or nginx, or give every organisation the same k8s.context`
    )
  }
}

function checkNames(net: Network, f: Findings): void {
  const orgSeen = new Map<string, Organization>()
  for (const org of net.organizations) {
    const p = dnsLabelProblem(org.name)
    if (p) f.error(`${org.pointer}/name`, `organisation name "${org.name}" ${p}`)
    else if (org.namespace.length > 63) {
      f.error(`${org.pointer}/name`, `organisation name "${org.name}" makes the namespace "${org.namespace}" longer than 63 characters; shorten the name`)
    }
    const first = orgSeen.get(org.name)
    if (first) f.error(`${org.pointer}/name`, `duplicate organisation "${org.name}" (first defined on line ${f.lineOf(`${first.pointer}/name`)}); organisation names must be unique`)
    else orgSeen.set(org.name, org)

    const nodeSeen = new Map<string, NetworkNode>()
    for (const node of org.nodes) {
      const np = dnsLabelProblem(node.name)
      if (np) f.error(`${node.pointer}/name`, `node name "${node.name}" ${np}`)
      else if (node.name.length > HELM_RELEASE_MAX) {
        f.error(`${node.pointer}/name`, `node name "${node.name}" is ${node.name.length} characters long; it becomes a Helm release name, which has at most ${HELM_RELEASE_MAX}`)
      }
      const firstNode = nodeSeen.get(node.name)
      if (firstNode) {
        f.error(`${node.pointer}/name`, `duplicate node "${node.name}" in organisation "${org.name}" (first defined on line ${f.lineOf(`${firstNode.pointer}/name`)})`)
      } else nodeSeen.set(node.name, node)
    }
  }
}

function checkSuffixes(net: Network, f: Findings): void {
  const suffixCluster = new Map<string, Organization>()
  const hostOwner = new Map<string, NetworkNode>()
  for (const org of net.organizations) {
    const suffixPointer = `${org.pointer}/external_url_suffix`
    if (net.proxy !== 'none' && org.externalUrlSuffix === '') {
      f.error(
        `${org.pointer}/name`,
        `organisation "${org.name}" has no external_url_suffix; with proxy "${net.proxy}" other clusters reach its nodes as <node>.<external_url_suffix>, so add one (for example ${org.name}.example.test)`
      )
      continue
    }
    // a suffix derived from an invalid organisation name was reported with the name already
    const userSuffix = net.spec.network.organizations[org.index].external_url_suffix !== undefined
    const p = userSuffix ? dnsNameProblem(org.externalUrlSuffix) : undefined
    if (p) {
      f.error(suffixPointer, `external_url_suffix "${org.externalUrlSuffix}" ${p}`)
      continue
    }
    const other = suffixCluster.get(org.externalUrlSuffix)
    if (other && other.cluster !== org.cluster) {
      f.error(
        suffixPointer,
        `external_url_suffix "${org.externalUrlSuffix}" is also used by organisation "${other.name}" on another cluster (${other.context}); each cluster's gateway needs its own suffix`
      )
    } else if (!other) suffixCluster.set(org.externalUrlSuffix, org)

    if (net.proxy === 'none') continue
    for (const node of org.nodes) {
      for (const port of node.ports.filter(x => x.external)) {
        const host = publicHost(net.platform, org.name, node.name, port.name, org.externalUrlSuffix)
        const hp = dnsNameProblem(host)
        if (hp) {
          f.error(`${node.pointer}/name`, `public name "${host}" of node "${node.name}" ${hp}; shorten the node name or the suffix`)
          break
        }
        const owner = hostOwner.get(`${host}:${port.name}`)
        if (owner && owner !== node) {
          f.error(
            `${node.pointer}/name`,
            `node "${node.name}" of "${org.name}" and node "${owner.name}" of "${owner.org}" would both be reached as ${host}; rename one or give the organisations different external_url_suffix values`
          )
          break
        }
        hostOwner.set(`${host}:${port.name}`, node)
      }
    }
  }
}

function checkPorts(net: Network, f: Findings): void {
  const publishedInCluster = new Map<string, { node: NetworkNode; pointer: string }>()
  for (const org of net.organizations) {
    for (const node of org.nodes) {
      const used = new Map<number, string>()
      for (const port of node.ports) {
        const clash = used.get(port.port)
        if (clash) f.error(`${port.pointer}/port`, `port ${port.port} of node "${node.name}" is already used by its "${clash}" port`)
        used.set(port.port, port.name)

        // without a proxy there is no gateway: Bevel's proxy-none sample keeps its `ambassador` ports, unused
        if (net.proxy === 'none' || port.published === undefined || HOST_ROUTED_PORTS.has(port.published)) continue
        const pubPointer = `${port.pointer}/ambassador`
        const key = `${org.cluster}:${port.published}`
        const first = publishedInCluster.get(key)
        if (first) {
          f.error(
            pubPointer,
            `gateway port ${port.published} of "${node.name}.${port.name}" collides with "${first.node.name}.${port.name}" of "${first.node.org}" (line ${f.lineOf(first.pointer)}) on cluster ${org.context}; each TCP port on a gateway routes to one node`
          )
        } else publishedInCluster.set(key, { node, pointer: pubPointer })

        if (net.proxy === 'ambassador') {
          if (!net.ambassadorPorts) {
            f.error(pubPointer, `gateway port ${port.published} is not opened: declare it in network.env.ambassadorPorts (ports or portRange)`)
          } else if (!ambassadorPortAllowed(net.ambassadorPorts, port.published)) {
            f.error(
              pubPointer,
              `gateway port ${port.published} of "${node.name}.${port.name}" is outside env.ambassadorPorts (${describeAllowed(net)}); add it there or pick a port inside`
            )
          }
        }
      }
    }
  }
  const ranges = net.ambassadorPorts?.ranges ?? []
  ranges.forEach(([from, to]) => {
    if (from > to) f.error('/network/env/ambassadorPorts/portRange', `ambassadorPorts.portRange goes from ${from} down to ${to}; "from" must not exceed "to"`)
  })
  // the string forms ("15010,15020") are split by normalise; report the text the user wrote
  const raw = net.spec.network.env.ambassadorPorts
  const listed = typeof raw === 'object' && raw !== null ? raw.ports : raw
  const pointer = typeof raw === 'object' && raw !== null ? '/network/env/ambassadorPorts/ports' : '/network/env/ambassadorPorts'
  if (typeof listed === 'string') {
    const bad = listed.split(',').map(s => s.trim()).find(s => !/^\d{1,5}$/.test(s) || Number(s) < 1 || Number(s) > 65535)
    if (bad !== undefined) {
      f.error(pointer, `ambassadorPorts "${listed}" lists ${bad === '' ? 'an empty entry' : `"${bad}"`}, which is not a port (1-65535); write the ports comma-separated, like 15010,15020`)
    }
  }
}

function describeAllowed(net: Network): string {
  const a = net.ambassadorPorts!
  return [...a.ports.map(String), ...a.ranges.map(([x, y]) => `${x}-${y}`)].join(', ') || 'empty'
}

function checkConsensus(net: Network, f: Findings): void {
  const info = PLATFORM_INFO[net.platform]
  if (info.consensus.length === 0) return
  const pointer = net.platform === 'fabric' ? '/network/consensus/name' : '/network/config/consensus'
  if (!net.consensus) {
    if (net.platform === 'fabric') return
    f.error(net.spec.network.config ? '/network/config' : '/network', `no consensus given: set network.config.consensus to one of ${info.consensus.join(', ')}`)
    return
  }
  if (!info.consensus.includes(net.consensus)) {
    f.error(pointer, `consensus "${net.consensus}" is not one of ${net.platform}'s: ${info.consensus.join(', ')}`)
    return
  }
  if (net.platform === 'fabric') return
  // Raft (GoQuorum) has no validators: every node is a member of the Raft cluster
  const raft = net.consensus === 'raft'
  const validators = net.organizations.flatMap(o => o.nodes).filter(n => raft || n.kind === 'validator')
  if (raft && validators.length === 0) {
    f.error('/network/organizations', `a ${net.platform} network with raft consensus needs at least one node (services.peers)`)
  } else if (validators.length === 0) {
    f.error('/network/organizations', `a ${net.platform} network with ${net.consensus} consensus needs at least one validator (services.validators${net.platform === 'quorum' ? ', or a peer with type: validator' : ''})`)
  } else if (info.bftConsensus.includes(net.consensus) && validators.length < 4) {
    f.warning(
      pointer,
      `${net.consensus.toUpperCase()} with ${validators.length} validator(s) tolerates no faulty validator; use at least 4 (3f+1 for f faults)`
    )
  }
}

function checkEthereumConfig(net: Network, f: Findings): void {
  const config = net.spec.network.config
  if (!config || !['besu', 'quorum', 'geth'].includes(net.platform)) return
  config.accounts?.forEach((account, i) => {
    if (!/^(0x)?[0-9a-fA-F]{40}$/.test(String(account))) {
      f.error(`/network/config/accounts/${i}`, `account "${String(account)}" is not a 20-byte hex address (40 hex digits, 0x optional)`)
    }
  })
  const usesTm = config.transaction_manager !== undefined && config.transaction_manager !== 'none'
  if (!usesTm) return
  const nodes = new Set(net.organizations.flatMap(o => o.nodes.map(n => n.name)))
  config.tm_nodes?.forEach((raw, i) => {
    let host: string
    try {
      host = new URL(raw).hostname
    } catch {
      f.error(`/network/config/tm_nodes/${i}`, `tm_nodes entry "${raw}" is not a URL; write it as https://<node>.<external_url_suffix>`)
      return
    }
    const first = host.split('.')[0].replace(/-tessera$/, '')
    if (!nodes.has(first)) {
      f.error(`/network/config/tm_nodes/${i}`, `tm_nodes entry "${raw}" names "${first}", which is no node of this network; expected https://<node>.<external_url_suffix> of a member node`)
    }
  })
}

function checkFabric(net: Network, f: Findings): void {
  if (net.platform !== 'fabric') return
  const n = net.spec.network
  const orgs = new Map(net.organizations.map(o => [o.name, o]))
  const ordererOrgs = new Set(net.organizations.filter(o => o.nodes.some(x => x.kind === 'orderer')).map(o => o.name))
  const ref = (pointer: string, name: unknown, what: string): boolean => {
    if (typeof name === 'string' && orgs.has(name)) return true
    f.error(pointer, `${what} "${String(name)}" is no organisation of this network (known: ${[...orgs.keys()].join(', ')})`)
    return false
  }
  n.orderers?.forEach((o, i) => {
    if (ref(`/network/orderers/${i}/org_name`, o.org_name, 'org_name')) {
      const org = orgs.get(o.org_name)!
      if (!org.nodes.some(x => x.kind === 'orderer' && x.name === o.name)) {
        f.error(`/network/orderers/${i}/name`, `orderer "${o.name}" is not among the orderers of organisation "${o.org_name}" (services.orderers)`)
      }
    }
  })
  const seenOrderers = new Map<string, number>()
  n.orderers?.forEach((o, i) => {
    const k = `${o.org_name}/${o.name}`
    if (seenOrderers.has(k)) f.error(`/network/orderers/${i}/name`, `duplicate orderer "${o.name}" of "${o.org_name}" (first at line ${f.lineOf(`/network/orderers/${seenOrderers.get(k)}/name`)})`)
    else seenOrderers.set(k, i)
  })
  net.organizations.forEach(org => {
    const spec = n.organizations[org.index]
    if (spec.orderer_org !== undefined && ref(`${org.pointer}/orderer_org`, spec.orderer_org, 'orderer_org') && !ordererOrgs.has(spec.orderer_org)) {
      f.error(`${org.pointer}/orderer_org`, `orderer_org "${spec.orderer_org}" runs no orderer (its services.orderers is empty)`)
    }
    const peers = org.nodes.filter(x => x.kind === 'peer')
    if (peers.length > 0 && !(spec.services?.peers ?? []).some(p => (p as { type?: string }).type === 'anchor')) {
      f.warning(`${org.pointer}/services/peers`, `organisation "${org.name}" has no anchor peer; other organisations' peers will not find it through gossip`)
    }
  })
  const raftOrderers = net.organizations.flatMap(o => o.nodes).filter(x => x.kind === 'orderer').length
  if (net.consensus === 'raft' && raftOrderers > 0 && raftOrderers % 2 === 0) {
    f.warning(net.spec.network.consensus ? '/network/consensus' : '/network/organizations', `Raft with ${raftOrderers} orderers tolerates as many faults as with ${raftOrderers - 1}; use an odd number`)
  }
  if (raftOrderers === 0) f.error('/network/organizations', 'a Fabric network needs at least one orderer (services.orderers of an orderer organisation)')
  n.channels?.forEach((ch, c) => {
    const base = `/network/channels/${c}`
    if (ch.orderer?.name !== undefined) ref(`${base}/orderer/name`, ch.orderer.name, 'channel orderer')
    ch.orderers?.forEach((o, i) => ref(`${base}/orderers/${i}`, o, 'channel orderer'))
    ch.participants.forEach((p, i) => {
      if (!ref(`${base}/participants/${i}/name`, p.name, 'channel participant')) return
      const org = orgs.get(p.name)!
      p.peers?.forEach((peer, j) => {
        if (!org.nodes.some(x => x.kind === 'peer' && x.name === peer.name)) {
          f.error(`${base}/participants/${i}/peers/${j}/name`, `peer "${peer.name}" is not a peer of organisation "${p.name}"`)
        }
      })
    })
    const endorsers = ch.endorsers
    if (Array.isArray(endorsers)) {
      endorsers.forEach((e, i) => {
        if (e && typeof e === 'object' && e.name !== undefined) ref(`${base}/endorsers/${i}/name`, e.name, 'endorser')
      })
    } else if (endorsers && typeof endorsers === 'object') {
      const names = Array.isArray(endorsers.name) ? endorsers.name : [endorsers.name]
      names.forEach((name, i) => ref(Array.isArray(endorsers.name) ? `${base}/endorsers/name/${i}` : `${base}/endorsers/name`, name, 'endorser'))
    }
  })
}

/** Kubernetes resource quantities: `500m`, `2`, `1.5`, `512Mi`, `1Gi`, `1e3` */
const QUANTITY = /^([+-]?[0-9.]+)([eE][+-]?[0-9]+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/

function checkBafBlock(net: Network, f: Findings): void {
  const baf = net.spec.baf
  if (!baf) return
  if (baf.chart_source === 'bevel') {
    try {
      checkBevelCharts(net)
    } catch (e) {
      if (!(e instanceof MissingCapabilityError)) throw e
      f.error('/baf/chart_source', e.message)
    }
  }
  for (const kind of ['requests', 'limits'] as const) {
    for (const [name, value] of Object.entries(baf.resources?.[kind] ?? {})) {
      if (!QUANTITY.test(String(value))) {
        f.error(`/baf/resources/${kind}/${name}`, `${name} ${kind === 'requests' ? 'request' : 'limit'} "${String(value)}" is not a Kubernetes quantity (for example 500m or 2 for CPU, 512Mi or 2Gi for memory)`)
      }
    }
  }
  const contexts = new Set(net.clusters.map(c => c.context))
  for (const [context, options] of Object.entries(baf.clusters ?? {})) {
    const pointer = `/baf/clusters/${context.replace(/~/g, '~0').replace(/\//g, '~1')}`
    if (!contexts.has(context)) {
      f.error(pointer, `baf.clusters names context "${context}", which no organisation uses (k8s.context values: ${[...contexts].join(', ')})`, true)
    }
    if (options?.name !== undefined) {
      const p = dnsLabelProblem(options.name)
      if (p) f.error(`${pointer}/name`, `cluster name "${options.name}" ${p}`)
    }
  }
  const clusterIds = new Set([...net.clusters.map(c => c.name), ...contexts])
  baf.probes?.extra?.forEach((probe, i) => {
    if (!clusterIds.has(probe.from)) {
      f.error(`/baf/probes/extra/${i}/from`, `probe source "${probe.from}" is no cluster of this network (clusters: ${net.clusters.map(c => c.name).join(', ')})`)
    }
  })
}

/** vault/gitops/aws/docker credentials belong to Bevel's Ansible flow; CI mode keeps keys in Secrets. */
function checkIgnoredSections(net: Network, f: Findings): void {
  for (const section of ['vault', 'gitops', 'aws'] as const) {
    const org = net.spec.network.organizations.findIndex(o => o[section] !== undefined && o[section] !== null)
    if (org >= 0) {
      const count = net.spec.network.organizations.filter(o => o[section]).length
      f.warning(
        `/network/organizations/${org}/${section}`,
        `"${section}" (in ${count} organisation(s)) is ignored: baf-action keeps keys in Kubernetes Secrets and deploys without ${section === 'vault' ? 'Vault' : section === 'gitops' ? 'Flux/GitOps' : 'AWS credentials from this file'}`,
        true
      )
    }
  }
  const docker = net.spec.network.docker
  if (docker && (docker.username !== undefined || docker.password !== undefined)) {
    f.warning('/network/docker', 'docker registry credentials are ignored: images are pulled anonymously; pass registry credentials as a secret input instead', true)
  }
}
