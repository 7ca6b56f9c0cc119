// Bevel's charts cannot be downloaded here: the contract is what Helm is handed. These tests pin
// the chart references and the exact values of every release, and what is refused before any
// cluster is touched; test/integration/deploy/bevel-charts.test.ts runs the same through
// deployNetwork against a sim cluster and checks the Helm argv and the install order.

import { readFileSync } from 'node:fs'

import { Helm } from '../../../src/deploy/helm.js'
import type { HelmRunner } from '../../../src/deploy/helm.js'
import { MissingCapabilityError } from '../../../src/errors.js'
import { loadNetworkText } from '../../../src/model/load.js'
import type { Network } from '../../../src/model/network.js'
import { buildPlan } from '../../../src/plan/plan.js'
import type { Plan } from '../../../src/plan/types.js'
import { BEVEL_BESU_CHART_VERSION, BEVEL_CHARTS_REPO, bevelChartInstall, checkBevelCharts } from '../../../src/platforms/besu/bevel-charts.js'
import type { PrepareOpts, ReleaseSpec } from '../../../src/platforms/platform.js'
import { deployerFor } from '../../../src/platforms/registry.js'
import type { ProviderName } from '../../../src/providers/provider.js'

interface NetOpts {
  proxy?: string
  consensus?: string
  validators?: string[]
  cloudProvider?: string
  /** a second organisation holding member-2 (a peer unless `as` says otherwise) */
  extraOrg?: { name: string; context: string; as?: 'validators' | 'bootnode' }
  extra?: string
  /** the validators' p2p port */
  p2pPort?: number
  /** as the chart-source input sets it (default bevel) */
  chartSource?: 'baf' | 'bevel'
}

function networkYaml(o: NetOpts = {}): string {
  const validators = o.validators ?? ['validator-1', 'validator-2']
  const lines = validators.map((v, i) => `          - { name: ${v}${i === 0 ? ', bootnode: true' : ''}, p2p: { port: ${o.p2pPort ?? 30303}, ambassador: ${15011 + i} }, rpc: { port: 8545 }, ws: { port: 8546 } }`)
  const second = o.extraOrg
    ? `    - organization:
      name: ${o.extraOrg.name}
      external_url_suffix: ${o.extraOrg.name}.baf.test
      k8s: { context: ${o.extraOrg.context} }
      services:
        ${o.extraOrg.as === 'validators' ? 'validators' : 'peers'}:
          - { name: member-2${o.extraOrg.as === 'bootnode' ? ', bootnode: true' : ''}, p2p: { port: 30303, ambassador: 15020 }, rpc: { port: 8545 } }
`
    : ''
  return `network:
  type: besu
  version: 23.10.2
  env: { type: t, proxy: ${o.proxy ?? 'ambassador'}, retry_count: 1, ambassadorPorts: { portRange: { from: 15010, to: 15030 } } }
  config: { consensus: ${o.consensus ?? 'qbft'}, chain_id: 2024, block_period: 2, accounts: ['0xfe3b557e8fb62b89f4916b721be55ceb828dbd73', '627306090abab3a6e1400e9345bc60c78a8bef57'] }
  organizations:
    - organization:
      name: supplychain
      external_url_suffix: sc.baf.test
${o.cloudProvider ? `      cloud_provider: ${o.cloudProvider}\n` : ''}      k8s: { context: c1 }
      services:
        validators:
${lines.join('\n')}
        peers:
          - { name: member-1, p2p: { port: 30303, ambassador: 15015 }, rpc: { port: 8545 }, ws: { port: 8546 } }
${second}${o.extra ?? ''}`
}

/** the file parsed, then the chart source set as the chart-source input does, then planned */
async function load(o: NetOpts = {}): Promise<{ network: Network; plan: Plan }> {
  const r = await loadNetworkText('net.yaml', networkYaml(o))
  if (!r.network) throw new Error(r.diagnostics.map(d => `${d.line}: ${d.message}`).join('\n'))
  r.network.chartSource = o.chartSource ?? 'bevel'
  return { network: r.network, plan: buildPlan(r.network) }
}

function prepare(network: Network, plan: Plan, opts: Partial<PrepareOpts> = {}) {
  return deployerFor('besu').prepare(network, plan, { chartsDir: '/charts', clusterProviders: { c1: 'kind' }, ...opts })
}

/** every genesis and node release of the plan, by release name */
function specs(network: Network, plan: Plan, opts: Partial<PrepareOpts> = {}): Record<string, ReleaseSpec> {
  const prepared = prepare(network, plan, opts)
  return Object.fromEntries(plan.releases.filter(r => r.kind !== 'gateway').map(r => [r.name, prepared.release(r)]))
}

const GLOBAL = { serviceAccountName: 'bevel-auth', cluster: { provider: 'minikube', cloudNativeServices: false }, vault: { type: 'kubernetes', network: 'besu' } }
const LOCAL_STORAGE = { provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' }

const GENESIS_VALUES = {
  global: GLOBAL,
  settings: { secondaryGenesis: false, removeGenesisOnDelete: true },
  rawGenesisConfig: {
    genesis: {
      config: { chainId: 2024, algorithm: { consensus: 'qbft', blockperiodseconds: 2, epochlength: 30000, requesttimeoutseconds: 20 } },
      gasLimit: '0x1fffffffffffff',
      additionalAccounts: ['0xfe3b557e8fb62b89f4916b721be55ceb828dbd73', '0x627306090abab3a6e1400e9345bc60c78a8bef57']
    },
    blockchain: { nodes: { generate: true, count: 2 } }
  }
}

function nodeValues(name: string, bootnode: boolean, proxy: Record<string, unknown>): Record<string, unknown> {
  return {
    global: { ...GLOBAL, proxy },
    storage: LOCAL_STORAGE,
    tessera: { enabled: false },
    tls: { enabled: false },
    image: { besu: { repository: 'hyperledger/besu', tag: '23.10.2' } },
    node: {
      isBootnode: bootnode,
      usesBootnodes: !bootnode,
      besu: { identity: name, p2p: { port: 30303 }, rpc: { port: 8545 }, ws: { port: 8546 }, metrics: { port: 9545 } }
    }
  }
}

describe('values of every release (Bevel v1.1 layout, no Vault)', () => {
  test('ambassador: genesis in generate mode for the two validators; nodes advertise their gateway port', async () => {
    const { network, plan } = await load()
    const s = specs(network, plan)
    expect(Object.keys(s)).toEqual(['genesis', 'validator-1', 'validator-2', 'member-1'])
    expect(s.genesis).toEqual({ chart: 'besu-genesis', repo: 'https://hyperledger.github.io/bevel', version: '1.1.0', values: GENESIS_VALUES, secrets: [], awaitJobs: ['besu-genesis-init'] })
    expect(s['validator-1']).toEqual({ chart: 'besu-node', repo: 'https://hyperledger.github.io/bevel', version: '1.1.0', values: nodeValues('validator-1', true, { provider: 'ambassador', externalUrlSuffix: 'sc.baf.test', p2p: 15011 }), secrets: [] })
    expect(s['validator-2'].values).toEqual(nodeValues('validator-2', false, { provider: 'ambassador', externalUrlSuffix: 'sc.baf.test', p2p: 15012 }))
    expect(s['member-1'].values).toEqual(nodeValues('member-1', false, { provider: 'ambassador', externalUrlSuffix: 'sc.baf.test', p2p: 15015 }))
    // the gateway port handed to the chart is the one the plan publishes for that node's p2p
    expect(plan.endpoints.filter(e => e.name === 'p2p').map(e => [e.node, e.host, e.port])).toEqual([
      ['validator-1', 'validator-1.sc.baf.test', 15011],
      ['validator-2', 'validator-2.sc.baf.test', 15012],
      ['member-1', 'member-1.sc.baf.test', 15015]
    ])
  })

  test('the plan names Bevel\'s Services (besu-node-<node>) and charts, so routes and probes reach them', async () => {
    const { plan } = await load()
    expect(plan.releases.map(r => [r.name, r.chart])).toEqual([
      ['emissary-ingress', expect.stringMatching(/^emissary-ingress/)],
      ['genesis', 'bevel/besu-genesis@1.1.0'],
      ['validator-1', 'bevel/besu-node@1.1.0'],
      ['validator-2', 'bevel/besu-node@1.1.0'],
      ['member-1', 'bevel/besu-node@1.1.0']
    ])
    expect([...new Set(plan.endpoints.map(e => e.service.name))]).toEqual(['besu-node-validator-1', 'besu-node-validator-2', 'besu-node-member-1'])
    expect(plan.clusters[0].gateway.listeners.find(l => l.port === 15015)?.target).toEqual({ node: 'member-1', namespace: 'supplychain-bes', service: 'besu-node-member-1', port: 30303 })
    // one node after the other in a namespace: each chart's pre-install hook rewrites besu-peers whole
    const deps = Object.fromEntries(plan.releases.map(r => [r.name, r.dependsOn.map(d => d.split('/')[2])]))
    expect(deps['validator-2']).toContain('validator-1')
    expect(deps['member-1']).toContain('validator-2')
    const none = await load({ proxy: 'none' })
    expect(none.plan.endpoints.find(e => e.node === 'member-1' && e.name === 'rpc')?.host).toBe('besu-node-member-1.supplychain-bes.svc.cluster.local')
  })

  test('none: no gateway port; the suffix is the in-cluster one', async () => {
    const text = networkYaml({ proxy: 'none' }).replace('      external_url_suffix: sc.baf.test\n', '')
    const r = await loadNetworkText('net.yaml', text)
    r.network!.chartSource = 'bevel'
    const s = specs(r.network!, buildPlan(r.network!))
    expect((s['member-1'].values as { global: unknown }).global).toEqual({ ...GLOBAL, proxy: { provider: 'none', externalUrlSuffix: 'supplychain-bes.svc.cluster.local' } })
  })

  test('ibft maps to Bevel\'s ibft2, clique stays; baf.resources land in node.besu.resources', async () => {
    const ibft = await load({ consensus: 'ibft' })
    expect((specs(ibft.network, ibft.plan).genesis.values as typeof GENESIS_VALUES).rawGenesisConfig.genesis.config.algorithm.consensus).toBe('ibft2')
    const clique = await load({ consensus: 'clique' })
    expect((specs(clique.network, clique.plan).genesis.values as typeof GENESIS_VALUES).rawGenesisConfig.genesis.config.algorithm.consensus).toBe('clique')
    const res = await load({ extra: 'baf:\n  resources:\n    requests: { cpu: 100m, memory: 512Mi }\n    limits: { memory: 1Gi }\n' })
    expect((specs(res.network, res.plan)['validator-2'].values as { node: { besu: { resources: unknown } } }).node.besu.resources).toEqual({ cpuRequest: '100m', memRequest: '512Mi', memLimit: '1Gi' })
  })

  test('global.cluster.provider: the cloud of a managed cluster, never a sample\'s cloud_provider on kind or sim', async () => {
    const { network, plan } = await load({ cloudProvider: 'aws' })
    const member = plan.releases.find(r => r.name === 'member-1')!
    const of = (clusterProvider: ProviderName) => bevelChartInstall(network, plan, member, { clusterProvider }).values as { global: { cluster: unknown }; storage?: unknown }
    for (const local of ['kind', 'sim'] as const) {
      expect(of(local).global.cluster).toEqual({ provider: 'minikube', cloudNativeServices: false })
      expect(of(local).storage).toEqual(LOCAL_STORAGE)
    }
    expect([of('eks').global.cluster, of('aks').global.cluster, of('gke').global.cluster]).toEqual(['aws', 'azure', 'gcp'].map(provider => ({ provider, cloudNativeServices: false })))
    expect(of('eks').storage).toBeUndefined()
    // an existing cluster: the organisation's cloud_provider, as Bevel's Ansible passes it
    expect(of('existing').global.cluster).toEqual({ provider: 'aws', cloudNativeServices: false })
    expect(of('existing').storage).toBeUndefined()
    const bare = await load()
    expect(bevelChartInstall(bare.network, bare.plan, bare.plan.releases.find(r => r.name === 'member-1')!, { clusterProvider: 'existing' }).values).toMatchObject({ global: { cluster: { provider: 'minikube' } }, storage: LOCAL_STORAGE })
  })
})

describe('a second organisation: Bevel\'s genesis hand-over', () => {
  test('its genesis is besu-genesis in secondary mode, filled from the first organisation\'s ConfigMaps once all its nodes are in', async () => {
    const { network, plan } = await load({ extraOrg: { name: 'carrier', context: 'c2' } })
    const genesis = plan.releases.find(r => r.org === 'carrier' && r.kind === 'genesis')!
    // every release of the first organisation has added its enode before the copy is taken
    expect([...genesis.dependsOn].sort()).toEqual(['c1/supplychain-bes/genesis', 'c1/supplychain-bes/member-1', 'c1/supplychain-bes/validator-1', 'c1/supplychain-bes/validator-2'])
    expect(plan.releases.find(r => r.name === 'member-2')!.dependsOn).toContain(genesis.id)
    const spec = prepare(network, plan, { clusterProviders: { c1: 'kind', c2: 'kind' } }).release(genesis)
    expect(spec).toEqual({
      chart: 'besu-genesis',
      repo: BEVEL_CHARTS_REPO,
      version: BEVEL_BESU_CHART_VERSION,
      values: { global: GLOBAL, settings: { secondaryGenesis: true, removeGenesisOnDelete: true } },
      secrets: [],
      chartFiles: {
        cluster: 'c1',
        namespace: 'supplychain-bes',
        files: [
          { path: 'files/genesis.json', configMap: 'besu-genesis', key: 'genesis.json' },
          { path: 'files/static-nodes.json', configMap: 'besu-peers', key: 'static-nodes.json' },
          { path: 'files/bootnodes.json', configMap: 'besu-bootnodes', key: 'bootnodes-json' }
        ]
      }
    })
    // its member joins with the bootnodes it was handed, behind its own cluster's gateway
    expect(prepare(network, plan, { clusterProviders: { c1: 'kind', c2: 'kind' } }).release(plan.releases.find(r => r.name === 'member-2')!).values).toMatchObject({
      global: { proxy: { provider: 'ambassador', externalUrlSuffix: 'carrier.baf.test', p2p: 15020 } },
      node: { isBootnode: false, usesBootnodes: true }
    })
  })
})

test('identities name the nodes and nothing else: Bevel generates the keys in the cluster', async () => {
  const { network, plan } = await load()
  expect(prepare(network, plan).identities).toEqual([
    { node: 'validator-1', org: 'supplychain' },
    { node: 'validator-2', org: 'supplychain' },
    { node: 'member-1', org: 'supplychain' }
  ])
})

test('our charts stay the default: a file without baf.chart_source deploys them, with seeded key Secrets', async () => {
  const r = await loadNetworkText('net.yaml', networkYaml({ extra: 'baf:\n  seed: s1\n' }))
  expect(r.network?.chartSource).toBe('baf')
  const { network, plan } = await load({ extra: 'baf:\n  seed: s1\n', chartSource: 'baf' })
  const ours = deployerFor('besu').prepare(network, plan, { chartsDir: '/charts', seed: 's1' })
  const v1 = plan.releases.find(r => r.name === 'validator-1')!
  expect(v1.chart).toBe('baf/besu-node')
  expect(plan.endpoints.find(e => e.node === 'validator-1')?.service.name).toBe('validator-1')
  expect(ours.release(v1).chart).toBe('/charts/besu-node')
  expect(ours.release(v1).repo).toBeUndefined()
  expect(ours.release(v1).secrets.map(s => s.metadata?.name)).toEqual(['validator-1-keys'])
  // seeded keys, so enodes are known ahead (same cluster: the in-cluster name)
  expect(ours.identities[0].enode).toMatch(/^enode:\/\/[0-9a-f]{128}@validator-1\.supplychain-bes\.svc\.cluster\.local:30303$/)
})

test('Helm gets the chart from Bevel\'s repository at the pinned version, values in a file', async () => {
  const { network, plan } = await load()
  const calls: { args: string[]; values: unknown }[] = []
  const runner: HelmRunner = async args => {
    calls.push({ args, values: JSON.parse(readFileSync(args[args.indexOf('--values') + 1], 'utf8')) })
    return { exitCode: 0, stdout: '', stderr: '' }
  }
  const helm = new Helm(runner)
  const install = bevelChartInstall(network, plan, plan.releases.find(r => r.kind === 'genesis')!, { clusterProvider: 'kind' })
  await helm.upgradeInstall({ release: 'genesis', namespace: 'supplychain-bes', chart: install.chart, repo: install.repo, version: install.version, kubeconfig: '/kube/c1', values: install.values, timeoutSeconds: 300, wait: 'helm' })
  await helm.dispose()
  const file = calls[0].args[calls[0].args.indexOf('--values') + 1]
  expect(calls[0].args).toEqual(['upgrade', '--install', 'genesis', 'besu-genesis', '--namespace', 'supplychain-bes', '--create-namespace', '--kubeconfig', '/kube/c1', '--values', file, '--timeout', '300s', '--atomic', '--wait', '--repo', BEVEL_CHARTS_REPO, '--version', BEVEL_BESU_CHART_VERSION])
  expect(calls[0].values).toEqual(GENESIS_VALUES)
})

describe('refused before anything is made, naming the step', () => {
  const refusal = async (o: NetOpts): Promise<MissingCapabilityError> => {
    const { network, plan } = await load(o)
    let error: unknown
    try {
      prepare(network, plan)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MissingCapabilityError)
    // the same check, callable on its own before clusters are made
    expect(() => checkBevelCharts(network)).toThrow((error as Error).message)
    return error as MissingCapabilityError
  }

  test.each([
    ['nginx', 'NGINX'],
    ['haproxy', 'HAProxy']
  ])('%s: Bevel\'s Besu charts template Ambassador routes only', async (proxy, name) => {
    const e = await refusal({ proxy })
    expect(e.message).toMatch(
      new RegExp(`^chart-source bevel behind proxy ${proxy} is not available in this version of baf-action: Bevel's besu-node chart templates Ambassador routes only .*nothing for ${name}, so no gateway would reach the nodes; use proxy ambassador or none with Bevel's charts, or chart-source baf`)
    )
  })

  test('a validator in a second organisation: the genesis holds the first organisation\'s validators only', async () => {
    const e = await refusal({ extraOrg: { name: 'carrier', context: 'c2', as: 'validators' } })
    expect(e.message).toMatch(/^validators in a second organisation with chart-source bevel \(carrier: member-2\) is not available/)
    expect(e.message).toContain('besu-genesis generates the validators of the first organisation (supplychain) only')
  })

  test('a bootnode in a second organisation: the others start from the first one\'s bootnodes', async () => {
    const e = await refusal({ extraOrg: { name: 'carrier', context: 'c1', as: 'bootnode' } })
    expect(e.message).toMatch(/^bootnodes in a second organisation with chart-source bevel \(carrier: member-2\) is not available/)
  })

  test('validators not named validator-1..N would run with keys the genesis does not know', async () => {
    const e = await refusal({ validators: ['val-a', 'validator-2'] })
    expect(e.message).toMatch(/^validators named val-a with chart-source bevel is not available/)
    expect(e.message).toContain('name the validators validator-1, validator-2')
  })

  test('a validator p2p port other than 30303: besu-genesis writes static nodes at 30303', async () => {
    const e = await refusal({ p2pPort: 30304 })
    expect(e.message).toMatch(/^a validator p2p port other than 30303 with chart-source bevel \(validator-1, validator-2\) is not available/)
  })

  test('ethash: Bevel\'s genesis chart generates qbft, ibft2 and clique only', async () => {
    const e = await refusal({ consensus: 'ethash' })
    expect(e.message).toMatch(/^consensus ethash with chart-source bevel is not available/)
  })
})

describe('baf.chart_source in the file', () => {
  test('bevel is the network\'s chart source; a network the charts cannot deploy is an error at the key, with its line', async () => {
    const ok = await loadNetworkText('net.yaml', networkYaml({ extra: 'baf:\n  chart_source: bevel\n' }))
    expect(ok.network?.chartSource).toBe('bevel')
    expect(buildPlan(ok.network!).releases.find(r => r.name === 'genesis')?.chart).toBe('bevel/besu-genesis@1.1.0')

    const text = networkYaml({ proxy: 'nginx', extra: 'baf:\n  seed: s1\n  chart_source: bevel\n' })
    const bad = await loadNetworkText('net.yaml', text)
    const errors = bad.diagnostics.filter(d => d.severity === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ file: 'net.yaml', path: '/baf/chart_source', line: text.split('\n').indexOf('  chart_source: bevel') + 1 })
    expect(errors[0].message).toMatch(/^chart-source bevel behind proxy nginx is not available/)
  })

  test('a value other than baf or bevel is a schema error', async () => {
    const r = await loadNetworkText('net.yaml', networkYaml({ extra: 'baf:\n  chart_source: helm\n' }))
    const error = r.diagnostics.find(d => d.severity === 'error')
    expect(error?.path).toBe('/baf/chart_source')
    expect(error?.message).toMatch(/baf, bevel/)
  })
})
