import { readFileSync } from 'node:fs'

import { loadNetworkText } from '../../../src/model/load.js'
import { buildPlan } from '../../../src/plan/plan.js'
import { renderPlanTree } from '../../../src/plan/render.js'
import type { Plan } from '../../../src/plan/types.js'
import { DEFAULT_DENY_PORTS, expectValidators } from '../../../src/plan/probes.js'
import type { NodeIdentity } from '../../../src/platforms/platform.js'

async function planOf(text: string, file = 'net.yaml'): Promise<Plan> {
  const r = await loadNetworkText(file, text)
  const errors = r.diagnostics.filter(d => d.severity === 'error')
  if (!r.network) throw new Error(errors.map(e => `${e.line}:${e.col} ${e.message}`).join('\n'))
  return buildPlan(r.network)
}

function besu(orgs: string, env = 'proxy: haproxy'): string {
  return `network:
  type: besu
  version: 23.10.2
  env: { type: t, ${env} }
  config: { consensus: qbft }
  organizations:
${orgs}`
}

const defaultNetwork = readFileSync('examples/besu-2-clusters.yaml', 'utf8')

describe('the embedded default network', () => {
  let plan: Plan
  beforeAll(async () => {
    plan = await planOf(defaultNetwork, 'examples/besu-2-clusters.yaml')
  })

  test('one cluster per k8s.context, with its namespaces and DNS suffix', () => {
    expect(plan.clusters.map(c => ({ name: c.name, orgs: c.organizations, ns: c.namespaces, dns: c.dnsSuffixes }))).toEqual([
      { name: 'sim-operator', orgs: ['operator'], ns: ['ambassador', 'operator-bes'], dns: ['operator.baf.test'] },
      { name: 'sim-member', orgs: ['member'], ns: ['ambassador', 'member-bes'], dns: ['member.baf.test'] }
    ])
  })

  test('gateway listeners: pinned TCP ports for p2p, host-routed HTTP for RPC', () => {
    const member = plan.clusters[1].gateway
    expect(member.kind).toBe('ambassador')
    expect(member.listeners).toEqual([
      { port: 80, protocol: 'http', host: 'member-1rpc.member.baf.test', passthrough: false, target: { node: 'member-1', namespace: 'member-bes', service: 'member-1', port: 8545 } },
      { port: 80, protocol: 'http', host: 'member-2rpc.member.baf.test', passthrough: false, target: { node: 'member-2', namespace: 'member-bes', service: 'member-2', port: 8545 } },
      { port: 15010, protocol: 'tcp', host: undefined, passthrough: false, target: { node: 'member-1', namespace: 'member-bes', service: 'member-1', port: 30303 } },
      { port: 15011, protocol: 'tcp', host: undefined, passthrough: false, target: { node: 'member-2', namespace: 'member-bes', service: 'member-2', port: 30303 } }
    ])
  })

  test('releases: gateway and genesis first, then every validator, then the members after the bootnodes', () => {
    const byName = (n: string) => plan.releases.filter(r => r.name === n)
    expect(byName('emissary-ingress').map(r => r.wave)).toEqual([0, 0])
    expect(byName('genesis').map(r => r.wave)).toEqual([0, 0])
    expect(byName('validator-1')[0]).toMatchObject({ wave: 1, namespace: 'operator-bes', chart: 'baf/besu-node' })
    expect(byName('validator-3')[0].wave).toBe(1)
    expect(byName('member-1')[0]).toMatchObject({ wave: 2, cluster: 'sim-member' })
    expect(byName('member-1')[0].dependsOn.sort()).toEqual(['sim-member/ambassador/emissary-ingress', 'sim-member/member-bes/genesis', 'sim-operator/operator-bes/validator-1', 'sim-operator/operator-bes/validator-2'])
    // waves are non-decreasing in the list, so installing in order respects every dependency
    expect(plan.releases.map(r => r.wave)).toEqual([...plan.releases.map(r => r.wave)].sort((a, b) => a - b))
  })

  test('every endpoint is probed from the other cluster, RPC down to the DLT layer', () => {
    const rpc = plan.probes.find(p => p.target.host === 'validator-1rpc.operator.baf.test')!
    expect(rpc).toMatchObject({ from: 'sim-member', protocol: 'json-rpc', layers: ['dns', 'tcp', 'protocol', 'dlt'], expect: 'allow', required: true })
    // a full mesh of 6 nodes: every node peers with the 5 others
    expect(rpc.dlt).toEqual({
      platform: 'besu',
      minPeers: 5,
      validators: 4,
      validatorSet: ['validator-1', 'validator-2', 'validator-3', 'validator-4'].map(node => ({ org: 'operator', node }))
    })
    const p2p = plan.probes.find(p => p.target.host === 'member-2.member.baf.test')!
    expect(p2p).toMatchObject({ from: 'sim-operator', target: { port: 15011 }, layers: ['dns', 'tcp'] })
    const allows = plan.probes.filter(p => p.expect === 'allow')
    expect(allows).toHaveLength(plan.endpoints.length)
    for (const p of allows) expect(p.from).not.toBe(p.target.cluster)
  })

  test('each gateway must refuse an unknown SNI and keep control-plane ports closed', () => {
    const deny = plan.probes.filter(p => p.expect === 'deny')
    expect(deny.filter(p => p.target.host.startsWith('baf-unrouted.')).map(p => `${p.from}->${p.target.host}`)).toEqual([
      'sim-member->baf-unrouted.operator.baf.test',
      'sim-operator->baf-unrouted.member.baf.test'
    ])
    expect(deny.filter(p => p.target.host === 'baf-gateway.member.baf.test').map(p => p.target.port)).toEqual(DEFAULT_DENY_PORTS)
    // the default isolation list is advisory; ports the user lists are required
    expect(deny.filter(p => p.protocol === 'tcp').every(p => !p.required)).toBe(true)
  })

  test('the tree names clusters, listeners, releases and probes', () => {
    const tree = renderPlanTree(plan)
    expect(tree).toContain('cluster sim-operator (context sim-operator, 1 worker node(s))')
    expect(tree).toContain(':15010/tcp any (as validator-1.operator.baf.test) -> validator-1.operator-bes:30303')
    expect(tree).toContain('wave 1  operator-bes/validator-3  baf/besu-node')
    expect(tree).toContain('wave 2  member-bes/member-1  baf/besu-node')
    expect(tree).toMatch(/probes: \d+ \(\d+ must connect, \d+ must be refused\)/)
  })
})

test('TCP gateway ports are chosen automatically around the pinned ones', async () => {
  const plan = await planOf(
    besu(`    - organization:
      name: a
      external_url_suffix: a.test
      k8s: { context: one }
      services:
        validators:
          - { name: v1, p2p: { port: 30303 }, rpc: { port: 8545 } }
          - { name: v2, p2p: { port: 30303, ambassador: 15010 }, rpc: { port: 8545 } }
          - { name: v3, p2p: { port: 30303 }, rpc: { port: 8545 } }
          - { name: v4, p2p: { port: 30303 }, rpc: { port: 8545 } }
`)
  )
  const tcp = plan.clusters[0].gateway.listeners.filter(l => l.protocol === 'tcp').map(l => `${l.target.node}:${l.port}`)
  expect(tcp.sort()).toEqual(['v1:15011', 'v2:15010', 'v3:15012', 'v4:15013'])
})

test('validators start together once genesis and gateway exist', async () => {
  const plan = await planOf(
    besu(`    - organization:
      name: a
      external_url_suffix: a.test
      k8s: { context: one }
      services:
        validators:
          - { name: v1, p2p: { port: 30303 } }
          - { name: v2, p2p: { port: 30303 } }
          - { name: v3, p2p: { port: 30303 } }
          - { name: v4, p2p: { port: 30303 } }
`)
  )
  expect(plan.releases.filter(r => r.kind === 'node').map(r => `${r.name}@${r.wave}`)).toEqual(['v1@1', 'v2@1', 'v3@1', 'v4@1'])
})

test('proxy none: one cluster, Service names, no gateway and no deny probes', async () => {
  const plan = await planOf(
    besu(
      `    - organization:
      name: solo
      k8s: { context: one }
      services:
        validators:
          - { name: v1, bootnode: true, p2p: { port: 30303 }, rpc: { port: 8545 } }
          - { name: v2, p2p: { port: 30303 }, rpc: { port: 8545 } }
          - { name: v3, p2p: { port: 30303 }, rpc: { port: 8545 } }
          - { name: v4, p2p: { port: 30303 }, rpc: { port: 8545 } }
`,
      'proxy: none'
    )
  )
  expect(plan.clusters[0].gateway).toEqual({ kind: 'none', namespace: '', listeners: [] })
  expect(plan.releases.some(r => r.kind === 'gateway')).toBe(false)
  expect(plan.endpoints.find(e => e.node === 'v1' && e.name === 'rpc')).toMatchObject({ host: 'v1.solo-bes.svc.cluster.local', port: 8545 })
  expect(plan.probes.every(p => p.expect === 'allow' && p.from === 'one' && !p.layers.includes('dns'))).toBe(true)
  expect(plan.probes.find(p => p.dlt)?.dlt).toMatchObject({ minPeers: 3, validators: 4 })
})

describe('expectValidators: the validator addresses the deploy recorded, into the probe specs', () => {
  let plan: Plan
  beforeAll(async () => {
    plan = await planOf(defaultNetwork, 'examples/besu-2-clusters.yaml')
  })
  const validators = ['validator-1', 'validator-2', 'validator-3', 'validator-4']
  const identities = (withAddress: (node: string) => boolean = () => true): NodeIdentity[] => [
    ...validators.map((node, i) => ({ node, org: 'operator', ...(withAddress(node) ? { address: `0xAbC${i}` } : {}) })),
    { node: 'member-1', org: 'member', address: '0xm1' },
    { node: 'member-2', org: 'member', address: '0xm2' }
  ]

  test('every RPC probe gets the address of each planned validator, and only of validators', () => {
    const specs = expectValidators(plan.probes, identities())
    const rpc = specs.filter(s => s.dlt)
    expect(rpc.length).toBeGreaterThan(0)
    for (const s of rpc) {
      expect(s.dlt!.validatorSet).toEqual(validators.map((node, i) => ({ org: 'operator', node, address: `0xAbC${i}` })))
      expect(s.dlt!.validators).toBe(4)
    }
    // probes without ledger expectations stay as they were, and the plan is not changed
    expect(specs.filter(s => !s.dlt)).toEqual(plan.probes.filter(s => !s.dlt))
    expect(plan.probes.find(s => s.dlt)!.dlt!.validatorSet!.every(v => v.address === undefined)).toBe(true)
  })

  test('unknown addresses (Bevel charts, no deploy yet, a missing validator) leave the count alone', () => {
    expect(expectValidators(plan.probes, undefined)).toEqual(plan.probes)
    expect(expectValidators(plan.probes, identities(() => false))).toEqual(plan.probes)
    expect(expectValidators(plan.probes, identities(node => node !== 'validator-3'))).toEqual(plan.probes)
  })

  test('identities are matched by organisation and node', () => {
    const elsewhere = identities().map(i => (i.node === 'validator-2' ? { ...i, org: 'member' } : i))
    expect(expectValidators(plan.probes, elsewhere)).toEqual(plan.probes)
  })
})

test('Fabric: CA, orderers, peers, then channel create and joins; gRPC through SNI passthrough', async () => {
  const plan = await planOf(`network:
  type: fabric
  version: 2.5.4
  env: { type: t, proxy: haproxy }
  consensus: { name: raft }
  orderers:
    - orderer:
      name: orderer1
      org_name: ord
  channels:
    - channel:
      channel_name: AllChannel
      participants:
        - organization:
          name: p1
          type: creator
        - organization:
          name: p2
          type: joiner
  organizations:
    - organization:
      name: ord
      external_url_suffix: ord.test
      k8s: { context: c1 }
      services:
        ca: { name: ca, grpc: { port: 7054 } }
        orderers:
          - orderer:
            name: orderer1
            grpc: { port: 7050 }
    - organization:
      name: p1
      external_url_suffix: p1.test
      k8s: { context: c2 }
      services:
        ca: { name: ca, grpc: { port: 7054 } }
        peers:
          - peer:
            name: peer0
            type: anchor
            grpc: { port: 7051 }
    - organization:
      name: p2
      external_url_suffix: p2.test
      k8s: { context: c2 }
      services:
        peers:
          - peer:
            name: peer0
            type: anchor
            grpc: { port: 7051 }
`)
  const order = plan.releases.filter(r => r.kind !== 'gateway').map(r => `${r.wave}:${r.namespace}/${r.name}`)
  expect(order).toEqual(['1:ord-net/ca', '1:p1-net/ca', '2:ord-net/orderer1', '3:p1-net/peer0', '3:p2-net/peer0', '4:p1-net/channel-allchannel', '5:p1-net/join-allchannel', '5:p2-net/join-allchannel'])
  const peer = plan.clusters[1].gateway.listeners.find(l => l.host === 'peer0.p2-net.p2.test')
  expect(peer).toMatchObject({ port: 443, protocol: 'tls', passthrough: true, target: { namespace: 'p2-net', port: 7051 } })
  const probe = plan.probes.find(p => p.target.host === 'orderer1.ord-net.ord.test')!
  expect(probe).toMatchObject({ from: 'c2', protocol: 'grpc', layers: ['dns', 'tcp', 'tls', 'protocol'], target: { sni: 'orderer1.ord-net.ord.test', port: 443 } })
})

test('baf block: cluster names, worker nodes, deny ports and extra probes', async () => {
  const plan = await planOf(
    besu(`    - organization:
      name: a
      external_url_suffix: a.test
      k8s: { context: "arn:aws:eks:eu-west-1:1234:cluster/prod" }
      services:
        validators:
          - { name: v1, p2p: { port: 30303 } }
          - { name: v2, p2p: { port: 30303 } }
          - { name: v3, p2p: { port: 30303 } }
          - { name: v4, p2p: { port: 30303 } }
    - organization:
      name: b
      external_url_suffix: b.test
      k8s: { context: kind-b }
      services:
        peers:
          - { name: m1, p2p: { port: 30303 } }
baf:
  clusters:
    kind-b: { name: beta, nodes: 3, kubernetes_version: v1.35.4 }
  probes:
    deny_ports: [2379]
    extra:
      - { from: beta, host: api.a.test, port: 443, sni: api.a.test, expect: deny }
`)
  )
  expect(plan.clusters.map(c => [c.name, c.workerNodes, c.kubernetesVersion])).toEqual([
    ['prod', 1, undefined],
    ['beta', 3, 'v1.35.4']
  ])
  const denyPorts = plan.probes.filter(p => p.target.host.startsWith('baf-gateway.'))
  expect(denyPorts.map(p => [p.target.port, p.required])).toEqual([
    [2379, true],
    [2379, true]
  ])
  expect(plan.probes.at(-1)).toMatchObject({ from: 'beta', target: { host: 'api.a.test', port: 443, sni: 'api.a.test' }, layers: ['dns', 'tcp', 'tls'], expect: 'deny' })
})
