// chart-source bevel through deployNetwork against a real sim cluster. Bevel's charts cannot be
// downloaded here, so Helm is a recorder: it keeps the argv and the values file it is handed and
// succeeds without installing anything, except that for besu-genesis it creates the chart's
// genesis Job (`besu-genesis-init`), which the sim completes as a cluster would: the network phase
// must wait for that Job before any node is handed to Helm.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node'

import { Helm } from '../../../src/deploy/helm.js'
import type { HelmRunner } from '../../../src/deploy/helm.js'
import { DeployFailed, deployNetwork, MANAGED_BY_LABEL } from '../../../src/deploy/network.js'
import type { DeployResult } from '../../../src/deploy/network.js'
import { loadKubeConfig } from '../../../src/kube/client.js'
import { MemoryLogger } from '../../../src/log/logger.js'
import { loadNetworkText } from '../../../src/model/load.js'
import type { Network } from '../../../src/model/network.js'
import { bareCluster, buildPlan } from '../../../src/plan/plan.js'
import type { Plan } from '../../../src/plan/types.js'
import type { ProvisionedCluster } from '../../../src/providers/provider.js'
import { SimProvider } from '../../../src/providers/sim/provider.js'

const REPO = 'https://hyperledger.github.io/bevel'
const workDir = mkdtempSync(join(tmpdir(), 'baf-bevel-test-'))
const provider = new SimProvider()
let clusters: ProvisionedCluster[] = []

function networkYaml(org: string, proxy: string): string {
  return `network:
  type: besu
  version: 23.10.2
  env: { type: t, proxy: ${proxy}, retry_count: 1, ambassadorPorts: { portRange: { from: 15010, to: 15030 } } }
  config: { consensus: qbft, chain_id: 2024 }
  organizations:
    - organization:
      name: ${org}
      external_url_suffix: ${org}.baf.test
      cloud_provider: aws
      k8s: { context: c1 }
      services:
        validators:
          - { name: validator-1, bootnode: true, p2p: { port: 30303, ambassador: 15011 }, rpc: { port: 8545 } }
          - { name: validator-2, p2p: { port: 30303, ambassador: 15012 }, rpc: { port: 8545 } }
        peers:
          - { name: member-1, p2p: { port: 30303, ambassador: 15015 }, rpc: { port: 8545 } }
baf:
  chart_source: bevel
`
}

async function load(org: string, proxy: string): Promise<{ network: Network; plan: Plan }> {
  const r = await loadNetworkText('net.yaml', networkYaml(org, proxy))
  if (!r.network) throw new Error(r.diagnostics.map(d => `${d.line}: ${d.message}`).join('\n'))
  return { network: r.network, plan: buildPlan(r.network) }
}

interface Call {
  args: string[]
  values: Record<string, unknown>
  /** whether the namespace's genesis Job had succeeded when Helm was handed this release */
  genesisDone: boolean
}

/** Helm that records; `createGenesisJob: false` leaves the genesis Job missing, as if the chart never ran it */
function recorder(createGenesisJob = true): { runner: HelmRunner; calls: Call[]; other: string[][] } {
  const calls: Call[] = []
  const other: string[][] = []
  const runner: HelmRunner = async args => {
    if (args[0] !== 'upgrade') {
      other.push(args)
      return { exitCode: 1, stdout: '', stderr: 'Error: release: not found' }
    }
    const at = (flag: string): string => args[args.indexOf(flag) + 1]
    const namespace = at('--namespace')
    const batch = loadKubeConfig(at('--kubeconfig')).makeApiClient(BatchV1Api)
    const job = await batch.readNamespacedJob({ name: 'besu-genesis-init', namespace }).catch(() => undefined)
    calls.push({ args, values: JSON.parse(readFileSync(at('--values'), 'utf8')) as Record<string, unknown>, genesisDone: (job?.status?.succeeded ?? 0) > 0 })
    if (args[3] === 'besu-genesis' && createGenesisJob) {
      await batch.createNamespacedJob({
        namespace,
        body: { metadata: { name: 'besu-genesis-init' }, spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'generate-genesis', image: 'ghcr.io/hyperledger/bevel-k8s-hooks:qgt-0.2.12' }] } } } }
      })
    }
    return { exitCode: 0, stdout: 'STATUS: deployed\nREVISION: 1\n', stderr: '' }
  }
  return { runner, calls, other }
}

beforeAll(async () => {
  clusters = await provider.create([bareCluster('c1'), bareCluster('c2')], { workDir, log: new MemoryLogger() })
}, 180_000)

afterAll(async () => {
  await provider.delete(clusters, { workDir, log: new MemoryLogger() })
}, 60_000)

const GLOBAL = { serviceAccountName: 'bevel-auth', cluster: { provider: 'minikube', cloudNativeServices: false }, vault: { type: 'kubernetes', network: 'besu' } }

function nodeValues(org: string, proxy: string, name: string, p2p: number, bootnode: boolean): Record<string, unknown> {
  return {
    // without a proxy there is no gateway port to advertise
    global: { ...GLOBAL, proxy: { provider: proxy, externalUrlSuffix: `${org}.baf.test`, ...(proxy === 'none' ? {} : { p2p }) } },
    // a sim cluster: kind's provisioner, whatever the sample's cloud_provider says
    storage: { provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
    tessera: { enabled: false },
    tls: { enabled: false },
    image: { besu: { repository: 'hyperledger/besu', tag: '23.10.2' } },
    node: { isBootnode: bootnode, usesBootnodes: !bootnode, besu: { identity: name, p2p: { port: 30303 }, rpc: { port: 8545 }, ws: { port: 8546 }, metrics: { port: 9545 } } }
  }
}

describe.each([
  ['amb', 'ambassador'],
  ['nop', 'none']
])('%s: %s', (org, proxy) => {
  const log = new MemoryLogger()
  const rec = recorder()
  let plan: Plan
  let result: DeployResult

  beforeAll(async () => {
    const loaded = await load(org, proxy)
    plan = loaded.plan
    const helm = new Helm(rec.runner)
    result = await deployNetwork({ network: loaded.network, plan, clusters, helm, log, diagnosticsDir: join(workDir, 'diagnostics'), installControllers: false, timeoutSeconds: 90 })
    await helm.dispose()
  }, 240_000)

  test('every release is deployed; Helm was handed Bevel\'s charts only, pinned, with Helm\'s own wait', () => {
    expect(result.releases.map(r => [r.id, r.status])).toEqual(plan.releases.map(r => [r.id, 'deployed']))
    const ns = `${org}-bes`
    const kubeconfig = clusters[0].kubeconfig
    const argv = (release: string, chart: string) => ['upgrade', '--install', release, chart, '--namespace', ns, '--create-namespace', '--kubeconfig', kubeconfig, '--values', '<values>', '--timeout', '90s', '--atomic', '--wait', '--repo', REPO, '--version', '1.1.0']
    const seen = rec.calls.map(c => c.args.map(a => (a === c.args[c.args.indexOf('--values') + 1] ? '<values>' : a)))
    // the gateway controller is not installed on sim: these are all the Helm installs there are
    expect([...seen].sort((a, b) => a[2].localeCompare(b[2]))).toEqual([argv('genesis', 'besu-genesis'), argv('member-1', 'besu-node'), argv('validator-1', 'besu-node'), argv('validator-2', 'besu-node')])
    expect(rec.other).toEqual([])
  })

  test('install order: genesis, its Job done before any node; the bootnode before the member', () => {
    const order = rec.calls.map(c => c.args[2])
    expect(order[0]).toBe('genesis')
    expect(rec.calls.slice(1).map(c => [c.args[2], c.genesisDone])).toEqual(order.slice(1).map(name => [name, true]))
    expect(order.indexOf('validator-1')).toBeLessThan(order.indexOf('member-1'))
    expect(plan.releases.find(r => r.name === 'member-1')?.dependsOn).toContain(`c1/${org}-bes/validator-1`)
  })

  test('the values files: genesis in generate mode for two validators, each node with the plan\'s gateway port', () => {
    const values = Object.fromEntries(rec.calls.map(c => [c.args[2], c.values]))
    expect(values.genesis).toEqual({
      global: GLOBAL,
      settings: { secondaryGenesis: false, removeGenesisOnDelete: true },
      rawGenesisConfig: {
        genesis: { config: { chainId: 2024, algorithm: { consensus: 'qbft', blockperiodseconds: 10, epochlength: 30000, requesttimeoutseconds: 20 } }, gasLimit: '0x1fffffffffffff', additionalAccounts: [] },
        blockchain: { nodes: { generate: true, count: 2 } }
      }
    })
    expect(values['validator-1']).toEqual(nodeValues(org, proxy, 'validator-1', 15011, true))
    expect(values['validator-2']).toEqual(nodeValues(org, proxy, 'validator-2', 15012, false))
    expect(values['member-1']).toEqual(nodeValues(org, proxy, 'member-1', 15015, false))
  })

  test('no Secret of ours: keys are Bevel\'s, made in the cluster; identities carry no enode and the log says why', async () => {
    const core = loadKubeConfig(clusters[0].kubeconfig).makeApiClient(CoreV1Api)
    const namespace = await core.readNamespace({ name: `${org}-bes` })
    expect(namespace.metadata?.labels?.[MANAGED_BY_LABEL]).toBe('baf-action')
    const secrets = await core.listNamespacedSecret({ namespace: `${org}-bes` })
    expect(secrets.items.filter(s => s.type !== 'kubernetes.io/service-account-token').map(s => s.metadata?.name)).toEqual([])
    expect(result.identities).toEqual([
      { node: 'validator-1', org },
      { node: 'validator-2', org },
      { node: 'member-1', org }
    ])
    expect(log.lines).toContain("info: Bevel's charts generate the node keys in the clusters: node identities are recorded without enode or address")
  })
})

test('a genesis Job that never completes fails the genesis release, bounded, and no node reaches Helm', async () => {
  const { network, plan } = await load('stuck', 'none')
  const rec = recorder(false)
  const helm = new Helm(rec.runner)
  const error = await deployNetwork({ network, plan, clusters, helm, log: new MemoryLogger(), diagnosticsDir: mkdtempSync(join(tmpdir(), 'baf-diag-')), installControllers: false, timeoutSeconds: 5 }).then(
    () => undefined,
    (e: unknown) => e
  )
  await helm.dispose()
  expect(error).toBeInstanceOf(DeployFailed)
  expect((error as Error).message).toMatch(/c1\/stuck-bes\/genesis: timed out after 5s waiting for Job besu-genesis-init in stuck-bes to complete/)
  expect((error as DeployFailed).result.releases.map(r => [r.id.split('/')[2], r.status])).toEqual([
    ['genesis', 'failed'],
    ['validator-1', 'skipped'],
    ['validator-2', 'skipped'],
    ['member-1', 'skipped']
  ])
  expect(rec.calls.map(c => c.args[2])).toEqual(['genesis'])
  // the failed release was put back: Helm was asked for its history (none: a first install)
  expect(rec.other.some(a => a[0] === 'history' && a[1] === 'genesis')).toBe(true)
}, 120_000)

describe('two organisations on two clusters: the genesis hand-over', () => {
  const yaml = `network:
  type: besu
  version: 23.10.2
  env: { type: t, proxy: ambassador, retry_count: 1, ambassadorPorts: { portRange: { from: 15010, to: 15030 } } }
  config: { consensus: qbft, chain_id: 2024 }
  organizations:
    - organization:
      name: sup
      external_url_suffix: sup.baf.test
      k8s: { context: c1 }
      services:
        validators:
          - { name: validator-1, bootnode: true, p2p: { port: 30303, ambassador: 15011 }, rpc: { port: 8545 } }
          - { name: validator-2, p2p: { port: 30303, ambassador: 15012 }, rpc: { port: 8545 } }
        peers:
          - { name: member-1, p2p: { port: 30303, ambassador: 15015 }, rpc: { port: 8545 } }
    - organization:
      name: car
      external_url_suffix: car.baf.test
      k8s: { context: c2 }
      services:
        peers:
          - { name: member-2, p2p: { port: 30303, ambassador: 15016 }, rpc: { port: 8545 } }
baf:
  chart_source: bevel
`

  interface Install {
    release: string
    chart: string
    args: string[]
    /** the files/ of a chart installed from a directory, as Helm found them */
    files?: Record<string, string>
  }

  /**
   * Helm that plays the charts' part in the cluster: besu-genesis's Job writes the three
   * ConfigMaps, each besu-node's pre-install hook adds its enode to besu-peers (a bootnode also to
   * besu-bootnodes), `helm pull` unpacks a chart directory; `pullFails` makes the repository refuse.
   */
  function clusterHelm(pullFails = false): { runner: HelmRunner; installs: Install[]; pulls: string[][] } {
    const installs: Install[] = []
    const pulls: string[][] = []
    const runner: HelmRunner = async args => {
      if (args[0] === 'pull') {
        pulls.push(args)
        if (pullFails) return { exitCode: 1, stdout: '', stderr: 'Error: failed to fetch https://hyperledger.github.io/bevel/besu-genesis-1.1.0.tgz : 404 Not Found' }
        const chartDir = join(args[args.indexOf('--untardir') + 1], args[1])
        mkdirSync(join(chartDir, 'templates'), { recursive: true })
        writeFileSync(join(chartDir, 'Chart.yaml'), `apiVersion: v2\nname: ${args[1]}\nversion: 1.1.0\n`)
        return { exitCode: 0, stdout: '', stderr: '' }
      }
      if (args[0] !== 'upgrade') return { exitCode: 1, stdout: '', stderr: 'Error: release: not found' }
      const at = (flag: string): string => args[args.indexOf(flag) + 1]
      const [release, chart] = [args[2], args[3]]
      const namespace = at('--namespace')
      const values = JSON.parse(readFileSync(at('--values'), 'utf8')) as { settings?: { secondaryGenesis?: boolean }; node?: { isBootnode?: boolean }; global: { proxy: { externalUrlSuffix: string; p2p?: number } } }
      const kc = loadKubeConfig(at('--kubeconfig'))
      const core = kc.makeApiClient(CoreV1Api)
      const install: Install = { release, chart, args }
      installs.push(install)
      if (chart.startsWith('/')) {
        const files = join(chart, 'files')
        install.files = Object.fromEntries(['genesis.json', 'static-nodes.json', 'bootnodes.json'].filter(f => existsSync(join(files, f))).map(f => [f, readFileSync(join(files, f), 'utf8')]))
        // genesis-sec: the chart turns its files back into the ConfigMaps
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'besu-genesis' }, data: { 'genesis.json': install.files['genesis.json'] } } })
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'besu-peers' }, data: { 'static-nodes.json': install.files['static-nodes.json'] } } })
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'besu-bootnodes' }, data: { 'bootnodes-json': install.files['bootnodes.json'] } } })
      } else if (chart === 'besu-genesis') {
        await kc.makeApiClient(BatchV1Api).createNamespacedJob({
          namespace,
          body: { metadata: { name: 'besu-genesis-init' }, spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'generate-genesis', image: 'ghcr.io/hyperledger/bevel-k8s-hooks:qgt-0.2.12' }] } } } }
        })
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'besu-genesis' }, data: { 'genesis.json': '{"config":{"chainId":2024,"qbft":{}}}' } } })
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'besu-peers' }, data: { 'static-nodes.json': '[]' } } })
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'besu-bootnodes' }, data: { 'bootnodes-json': '[]' } } })
      } else {
        const enode = `enode://${release.replace(/[^0-9]/g, '').padStart(128, 'a')}@${release}.${values.global.proxy.externalUrlSuffix}:${values.global.proxy.p2p}`
        const add = async (name: string, key: string): Promise<void> => {
          const cm = await core.readNamespacedConfigMap({ name, namespace })
          const list = [...(JSON.parse(cm.data![key]) as string[]), enode].sort()
          await core.replaceNamespacedConfigMap({ name, namespace, body: { metadata: { name }, data: { ...cm.data, [key]: JSON.stringify(list) } } })
        }
        await add('besu-peers', 'static-nodes.json')
        if (values.node?.isBootnode) await add('besu-bootnodes', 'bootnodes-json')
      }
      return { exitCode: 0, stdout: 'STATUS: deployed\nREVISION: 1\n', stderr: '' }
    }
    return { runner, installs, pulls }
  }

  test('the second organisation\'s genesis is Bevel\'s chart, pulled at its pin, with the first organisation\'s genesis, static nodes and bootnodes as its files', async () => {
    const { network, plan } = await loadNetworkText('two.yaml', yaml).then(r => ({ network: r.network!, plan: buildPlan(r.network!) }))
    const h = clusterHelm()
    const helm = new Helm(h.runner)
    const result = await deployNetwork({ network, plan, clusters, helm, log: new MemoryLogger(), diagnosticsDir: join(workDir, 'diag-two'), installControllers: false, timeoutSeconds: 90 })
    await helm.dispose()
    expect(result.releases.every(r => r.status === 'deployed')).toBe(true)

    // pulled once, at the pinned version, unpacked into a directory of its own
    expect(h.pulls).toHaveLength(1)
    expect(h.pulls[0].slice(0, 7)).toEqual(['pull', 'besu-genesis', '--repo', REPO, '--version', '1.1.0', '--untar'])
    const secondary = h.installs.find(i => i.release === 'genesis' && i.args.includes('car-bes'))!
    expect(secondary.chart).toBe(join(h.pulls[0][8], 'besu-genesis'))
    expect(secondary.args).not.toContain('--repo')
    // what it was handed is what the first organisation's ConfigMaps held once all three of its nodes were in
    const core1 = loadKubeConfig(clusters[0].kubeconfig).makeApiClient(CoreV1Api)
    const cm = async (name: string, key: string) => (await core1.readNamespacedConfigMap({ name, namespace: 'sup-bes' })).data![key]
    expect(secondary.files).toEqual({ 'genesis.json': await cm('besu-genesis', 'genesis.json'), 'static-nodes.json': await cm('besu-peers', 'static-nodes.json'), 'bootnodes.json': await cm('besu-bootnodes', 'bootnodes-json') })
    expect((JSON.parse(secondary.files!['static-nodes.json']) as string[]).map(e => e.split('@')[1])).toEqual(['member-1.sup.baf.test:15015', 'validator-1.sup.baf.test:15011', 'validator-2.sup.baf.test:15012'])
    expect((JSON.parse(secondary.files!['bootnodes.json']) as string[]).map(e => e.split('@')[1])).toEqual(['validator-1.sup.baf.test:15011'])
    // ordered: the copy after the first organisation's last node, the member after the copy
    const order = h.installs.map(i => `${i.args[i.args.indexOf('--namespace') + 1]}/${i.release}`)
    for (const first of ['sup-bes/validator-1', 'sup-bes/validator-2', 'sup-bes/member-1']) expect(order.indexOf(first)).toBeLessThan(order.indexOf('car-bes/genesis'))
    expect(order.indexOf('car-bes/genesis')).toBeLessThan(order.indexOf('car-bes/member-2'))
    // the pulled copy is gone
    expect(existsSync(h.pulls[0][8])).toBe(false)
  }, 240_000)

  test('a repository that refuses the pull fails the second genesis, naming it; its member is never started', async () => {
    const text = yaml.replace(/\bsup\b/g, 'sx').replace(/\bcar\b/g, 'cx')
    const { network, plan } = await loadNetworkText('two.yaml', text).then(r => ({ network: r.network!, plan: buildPlan(r.network!) }))
    const h = clusterHelm(true)
    const helm = new Helm(h.runner)
    const error = await deployNetwork({ network, plan, clusters, helm, log: new MemoryLogger(), diagnosticsDir: mkdtempSync(join(tmpdir(), 'baf-diag-')), installControllers: false, timeoutSeconds: 30 }).then(
      () => undefined,
      (e: unknown) => e
    )
    await helm.dispose()
    expect(error).toBeInstanceOf(DeployFailed)
    expect((error as Error).message).toContain('c2/cx-bes/genesis: helm pull besu-genesis 1.1.0 from https://hyperledger.github.io/bevel: Error: failed to fetch https://hyperledger.github.io/bevel/besu-genesis-1.1.0.tgz : 404 Not Found')
    const status = Object.fromEntries((error as DeployFailed).result.releases.map(r => [r.id, r.status]))
    expect(status['c2/cx-bes/genesis']).toBe('failed')
    expect(status['c2/cx-bes/member-2']).toBe('skipped')
    expect(h.installs.some(i => i.args.includes('cx-bes'))).toBe(false)
  }, 240_000)
})
