// The valid samples: Bevel-layout network.yaml files (with `- organization:` items, vault / gitops
// / aws sections holding placeholder credentials, Bevel's comments) that must load without an
// error, with exactly the warnings listed here, into the normalised network described here.

import { describe, expect, test } from '@jest/globals'

import { loadNetworkFile } from '../../../src/model/load.js'
import type { LoadResult } from '../../../src/model/load.js'
import type { Network, NodeKind } from '../../../src/model/network.js'
import { FIXTURES } from './helpers.js'

const path = (name: string): string => `${FIXTURES}/valid/${name}`

/** Bevel's list-item marker keys, which the parser folds away */
const MARKERS = ['organization', 'validator', 'peer', 'orderer', 'channel', 'user']

const IGNORED = {
  docker: /^docker registry credentials are ignored: images are pulled anonymously/,
  aws: (n: number) => new RegExp(`^"aws" \\(in ${n} organisation\\(s\\)\\) is ignored: .*without AWS credentials from this file$`),
  vault: (n: number) => new RegExp(`^"vault" \\(in ${n} organisation\\(s\\)\\) is ignored: .*deploys without Vault$`),
  gitops: (n: number) => new RegExp(`^"gitops" \\(in ${n} organisation\\(s\\)\\) is ignored: .*without Flux/GitOps$`)
}

interface Sample {
  file: string
  /** every warning: line, column, message */
  warnings: [number, number, RegExp][]
  check: (net: Network) => void
}

function nodeCounts(net: Network): Record<string, Partial<Record<NodeKind, number>>> {
  const out: Record<string, Partial<Record<NodeKind, number>>> = {}
  for (const org of net.organizations) {
    const counts: Partial<Record<NodeKind, number>> = {}
    for (const n of org.nodes) counts[n.kind] = (counts[n.kind] ?? 0) + 1
    out[org.name] = counts
  }
  return out
}

const clusters = (net: Network): [string, string, string[]][] => net.clusters.map(c => [c.name, c.context, c.organizations])
const namespaces = (net: Network): string[] => net.organizations.map(o => o.namespace)
const suffixes = (net: Network): string[] => net.organizations.map(o => o.externalUrlSuffix)
const node = (net: Network, name: string) => net.organizations.flatMap(o => o.nodes).find(n => n.name === name)!
const published = (net: Network, nodeName: string): Record<string, number | undefined> =>
  Object.fromEntries(node(net, nodeName).ports.map(p => [p.name, p.published]))

/** every marker key left in the document (there must be none) */
function leftoverMarkers(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leftoverMarkers(v, `${at}/${i}`))
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => [...(MARKERS.includes(k) && (v === null || v === '') ? [`${at}/${k}`] : []), ...leftoverMarkers(v, `${at}/${k}`)])
}

const samples: Sample[] = [
  {
    file: 'besu-ambassador.yaml',
    warnings: [
      [45, 3, IGNORED.docker],
      [85, 7, IGNORED.aws(3)],
      [96, 7, IGNORED.vault(3)],
      [102, 7, IGNORED.gitops(3)]
    ],
    check: net => {
      expect([net.platform, net.version, net.consensus, net.proxy, net.proxyNamespace]).toEqual(['besu', '22.10.2', 'qbft', 'ambassador', 'ambassador'])
      expect(net.ambassadorPorts).toEqual({ ports: [], ranges: [[15010, 15052]] })
      // one cluster, like Bevel's sample: every organisation on the same k8s context
      expect(clusters(net)).toEqual([['cluster-context', 'cluster_context', ['supplychain', 'carrier', 'manufacturer']]])
      expect(net.organizations.map(o => o.cluster)).toEqual(['cluster-context', 'cluster-context', 'cluster-context'])
      expect(nodeCounts(net)).toEqual({ supplychain: { validator: 4 }, carrier: { member: 1 }, manufacturer: { member: 1 } })
      expect(namespaces(net)).toEqual(['supplychain-bes', 'carrier-bes', 'manufacturer-bes'])
      expect(suffixes(net)).toEqual(Array(3).fill('test.besu.blockchaincloudpoc.com'))
      expect(net.organizations.map(o => o.role)).toEqual(['validator', 'member', 'member'])
      expect(net.organizations.flatMap(o => o.nodes.filter(n => n.bootnode).map(n => n.name))).toEqual(['validator1', 'validator2'])
      // distinct Ambassador ports on the one gateway
      expect(published(net, 'validator1')).toEqual({ p2p: 15010, rpc: 15011, ws: undefined, metrics: undefined })
      expect(published(net, 'validator4')).toEqual({ p2p: 15016, rpc: 15017, ws: undefined })
      expect(published(net, 'carrier')).toEqual({ p2p: 15020, rpc: 15021, ws: undefined, db: undefined, tm_nodeport: 443, tm_clientport: undefined })
      expect(node(net, 'validator1').ports.find(p => p.name === 'metrics')).toMatchObject({ port: 9545, external: false })
      expect(node(net, 'carrier').pointer).toBe('/network/organizations/1/services/peers/0')
    }
  },
  {
    file: 'besu-multicluster.yaml',
    warnings: [],
    check: net => {
      expect([net.platform, net.version, net.consensus, net.proxy, net.seed]).toEqual(['besu', '23.10.2', 'qbft', 'ambassador', 'pr-42'])
      expect(clusters(net)).toEqual([
        ['operator', 'arn:aws:eks:eu-west-1:111122223333:cluster/operator', ['operator']],
        ['gke-my-project-europe-west1-b-carrier', 'gke_my-project_europe-west1-b_carrier', ['carrier']],
        ['store-cluster', 'kind-store', ['store']]
      ])
      expect(net.clusters.map(c => [c.workerNodes, c.kubernetesVersion])).toEqual([
        [1, undefined],
        [1, undefined],
        [2, 'v1.31.0']
      ])
      expect(nodeCounts(net)).toEqual({ operator: { validator: 4 }, carrier: { member: 1 }, store: { member: 1 } })
      expect(namespaces(net)).toEqual(['operator-bes', 'carrier-bes', 'store-bes'])
      expect(suffixes(net)).toEqual(['operator.blk.example.com', 'carrier.blk.example.com', 'store.blk.example.com'])
      // the same Ambassador ports on three clusters: three gateways, no collision
      expect([published(net, 'validator-1').p2p, published(net, 'carrier').p2p, published(net, 'store').p2p]).toEqual([15010, 15010, 15010])
    }
  },
  {
    file: 'besu-proxy-none.yaml',
    warnings: [],
    check: net => {
      expect([net.platform, net.version, net.consensus, net.proxy, net.proxyNamespace]).toEqual(['besu', '21.10.6', 'ibft', 'none', ''])
      expect(clusters(net)).toEqual([['kind-bevel', 'kind-bevel', ['supplychain', 'carrier']]])
      expect(nodeCounts(net)).toEqual({ supplychain: { validator: 4 }, carrier: { member: 1 } })
      expect(namespaces(net)).toEqual(['supplychain-bes', 'carrier-bes'])
      // written by the user for supplychain; derived from the namespace for carrier
      expect(suffixes(net)).toEqual(['supplychain-bes.svc.cluster.local', 'carrier-bes.svc.cluster.local'])
    }
  },
  {
    file: 'quorum.yaml',
    warnings: [
      [25, 3, IGNORED.docker],
      [56, 7, IGNORED.aws(4)],
      [64, 7, IGNORED.vault(4)],
      [69, 7, IGNORED.gitops(4)]
    ],
    check: net => {
      expect([net.platform, net.version, net.consensus, net.proxy]).toEqual(['quorum', '21.4.2', 'raft', 'ambassador'])
      // the old comma-separated string
      expect(net.ambassadorPorts).toEqual({
        ports: [15010, 15011, 15012, 15013, 15020, 15021, 15022, 15023, 15030, 15031, 15032, 15033, 15040, 15041, 15042, 15043],
        ranges: []
      })
      expect(clusters(net)).toEqual([['cluster-context', 'cluster_context', ['carrier', 'manufacturer', 'store', 'warehouse']]])
      // peers with `type: validator` are validators
      expect(nodeCounts(net)).toEqual({ carrier: { validator: 1 }, manufacturer: { validator: 1 }, store: { validator: 1 }, warehouse: { validator: 1 } })
      expect(namespaces(net)).toEqual(['carrier-quo', 'manufacturer-quo', 'store-quo', 'warehouse-quo'])
      expect(published(net, 'carrier')).toEqual({ p2p: 15010, rpc: 15011, raft: 15013, transaction_manager: 443, db: undefined })
      expect(node(net, 'warehouse').ports.map(p => [p.name, p.port, p.protocol, p.external])).toEqual([
        ['p2p', 21000, 'tcp', true],
        ['rpc', 8546, 'http', true],
        ['raft', 50401, 'tcp', true],
        ['transaction_manager', 443, 'tls', true],
        ['db', 3306, 'tcp', false]
      ])
    }
  },
  {
    file: 'fabric-haproxy-raft.yaml',
    warnings: [
      [35, 3, IGNORED.docker],
      [175, 7, IGNORED.aws(3)],
      [187, 7, IGNORED.vault(3)],
      [193, 7, IGNORED.gitops(3)]
    ],
    check: net => {
      expect([net.platform, net.version, net.consensus, net.proxy, net.proxyNamespace]).toEqual(['fabric', '2.5.4', 'raft', 'haproxy', 'ingress-controller'])
      expect(clusters(net)).toEqual([
        ['kind-orderer', 'kind-orderer', ['supplychain']],
        ['kind-peers', 'kind-peers', ['manufacturer', 'carrier']]
      ])
      expect(nodeCounts(net)).toEqual({ supplychain: { ca: 1, orderer: 3 }, manufacturer: { ca: 1, peer: 2 }, carrier: { ca: 1, peer: 1 } })
      expect(namespaces(net)).toEqual(['supplychain-net', 'manufacturer-net', 'carrier-net'])
      expect(suffixes(net)).toEqual(['org1proxy.bevel.example.com', 'org2proxy.bevel.example.com', 'org3proxy.bevel.example.com'])
      expect(node(net, 'orderer2').ports).toEqual([
        { name: 'grpc', port: 7050, protocol: 'grpc-tls', external: true, published: undefined, pointer: '/network/organizations/0/services/orderers/1/grpc' }
      ])
      expect(net.organizations[0].nodes[0]).toMatchObject({ name: 'ca', kind: 'ca', pointer: '/network/organizations/0/services/ca' })
      // Bevel's quirks, folded: network-level orderers, channels, participants, peers, endorsers, users
      const n = net.spec.network
      expect(n.orderers?.map(o => Object.keys(o))).toEqual(Array(3).fill(['type', 'name', 'org_name', 'uri', 'certificate']))
      expect(n.channels?.map(c => c.channel_name)).toEqual(['AllChannel', 'TradeChannel'])
      expect(n.channels?.[0].participants.map(p => [p.name, p.peers?.map(x => x.name)])).toEqual([
        ['carrier', ['peer0']],
        ['manufacturer', ['peer0']]
      ])
      expect(n.channels?.[0].endorsers).toEqual({
        name: ['carrier', 'manufacturer'],
        corepeerAddress: ['peer0.carrier-net.org3proxy.bevel.example.com:443', 'peer0.manufacturer-net.org2proxy.bevel.example.com:443']
      })
      expect((n.channels?.[1].endorsers as { name: string }[]).map(e => e.name)).toEqual(['manufacturer', 'carrier'])
      expect((n.organizations[1] as unknown as { users: unknown }).users).toEqual([{ identity: 'user1', attributes: [{ key: 'hf.Revoker', value: 'true' }] }])
    }
  },
  {
    file: 'corda-bevel.yaml',
    warnings: [
      [27, 3, IGNORED.docker],
      [56, 7, IGNORED.aws(3)],
      [67, 7, IGNORED.vault(3)],
      [73, 7, IGNORED.gitops(3)]
    ],
    check: net => {
      expect([net.platform, net.version, net.proxy]).toEqual(['corda', '4.9', 'ambassador'])
      expect(net.ambassadorPorts).toEqual({ ports: [10010, 10020, 10030], ranges: [] })
      expect(clusters(net)).toEqual([['cluster-context', 'cluster_context', ['supplychain', 'manufacturer', 'carrier']]])
      // Bevel's single `doorman`, `nms` and `notary` maps are nodes like the listed peers
      expect(nodeCounts(net)).toEqual({ supplychain: { ca: 1, orderer: 1, notary: 1 }, manufacturer: { peer: 1 }, carrier: { peer: 1 } })
      expect(net.organizations[0].nodes.map(n => [n.name, n.kind, n.pointer])).toEqual([
        ['doorman', 'ca', '/network/organizations/0/services/doorman'],
        ['networkmap', 'orderer', '/network/organizations/0/services/nms'],
        ['notary', 'notary', '/network/organizations/0/services/notary']
      ])
      expect(node(net, 'doorman').ports).toEqual([
        { name: 'service', port: 8080, protocol: 'http', external: true, published: undefined, pointer: '/network/organizations/0/services/doorman/ports' }
      ])
      // only p2p leaves the cluster; Corda RPC, admin, database and web ports stay inside
      expect(node(net, 'notary').ports.map(p => [p.name, p.port, p.protocol, p.external, p.published])).toEqual([
        ['p2p', 10002, 'tcp', true, 10010],
        ['rpc', 10003, 'tcp', false, undefined],
        ['rpcadmin', 10005, 'tcp', false, undefined],
        ['dbtcp', 9101, 'tcp', false, undefined],
        ['dbweb', 8080, 'http', false, undefined]
      ])
      expect(published(net, 'carrier')).toMatchObject({ p2p: 10030, springboot: undefined, expressapi: undefined })
      expect(namespaces(net)).toEqual(['supplychain-ns', 'manufacturer-ns', 'carrier-ns'])
    }
  },
  {
    file: 'indy-bevel.yaml',
    warnings: [
      [34, 3, IGNORED.docker],
      [47, 7, IGNORED.aws(3)],
      [62, 7, IGNORED.vault(3)],
      [68, 7, IGNORED.gitops(3)]
    ],
    check: net => {
      expect([net.platform, net.version, net.proxy]).toEqual(['indy', '1.12.1', 'ambassador'])
      expect(net.ambassadorPorts).toEqual({ ports: [], ranges: [[15010, 15052]] })
      // newer Bevel samples write one `trustee` and one `endorser` per organisation, as maps
      expect(nodeCounts(net)).toEqual({
        authority: { trustee: 1 },
        university: { trustee: 1, steward: 2, endorser: 1 },
        provider: { trustee: 1, steward: 2, endorser: 1 }
      })
      expect(node(net, 'university-trustee').pointer).toBe('/network/organizations/1/services/trustee')
      expect(node(net, 'provider-steward-2').pointer).toBe('/network/organizations/2/services/stewards/1')
      expect(node(net, 'university-steward-1').ports.map(p => [p.name, p.port, p.protocol, p.external, p.published])).toEqual([
        ['node', 9711, 'tcp', true, 15015],
        ['client', 9712, 'tcp', true, 15016]
      ])
      expect(published(net, 'authority-trustee')).toEqual({ server: 15010 })
      // an endorser's agent ports ({httpPort, apiPort, webhookPort}) are not routed
      expect(node(net, 'provider-endorser').ports).toEqual([])
    }
  }
]

describe('valid Bevel samples', () => {
  const loaded = new Map<string, LoadResult>()
  const get = async (file: string): Promise<LoadResult> => {
    if (!loaded.has(file)) loaded.set(file, await loadNetworkFile(path(file)))
    return loaded.get(file)!
  }

  describe.each(samples.map(s => [s.file, s] as const))('%s', (_file, sample) => {
    test('loads with no error and exactly the expected warnings', async () => {
      const { network, diagnostics } = await get(sample.file)
      const errors = diagnostics.filter(d => d.severity === 'error')
      expect(errors.map(d => `${d.line}:${d.col} ${d.message}`)).toEqual([])
      expect(network).toBeDefined()
      const warnings = diagnostics.filter(d => d.severity === 'warning')
      expect(warnings).toHaveLength(sample.warnings.length)
      sample.warnings.forEach(([line, col, message], i) => {
        expect(warnings[i]).toMatchObject({ file: path(sample.file), line, col })
        expect(warnings[i].message).toMatch(message)
      })
    })

    test('normalises to the expected clusters, organisations and nodes', async () => {
      const { network } = await get(sample.file)
      sample.check(network!)
      expect(network!.file).toBe(path(sample.file))
    })

    test("folds Bevel's `- organization:` style marker keys away", async () => {
      const { network } = await get(sample.file)
      expect(leftoverMarkers(network!.spec)).toEqual([])
      for (const org of network!.spec.network.organizations) expect(Object.keys(org)).not.toContain('organization')
    })

    test('prints no credential of the file in any message', async () => {
      const { diagnostics } = await get(sample.file)
      for (const d of diagnostics) expect(d.message).not.toMatch(/vault_root_token|git_access_token|docker_password|aws_secret_key|aws_access_key/)
    })
  })

  test('the example shipped with the project is valid too', async () => {
    const { network, diagnostics } = await loadNetworkFile(`${FIXTURES}/../../examples/besu-2-clusters.yaml`)
    expect(diagnostics).toEqual([])
    expect(network?.clusters.map(c => c.name)).toEqual(['sim-operator', 'sim-member'])
  })
})
