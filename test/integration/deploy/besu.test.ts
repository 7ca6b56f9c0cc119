// A Besu network across two real sim clusters (kube-apiserver, controller-manager, scheduler,
// etcd, kwok) installed with the real helm: routes, cross-cluster peers, idempotent redeploys,
// and failures that name the release and leave nothing half-installed.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { CoreV1Api, CustomObjectsApi, NetworkingV1Api, AppsV1Api } from '@kubernetes/client-node'

import { DeployFailed, deployNetwork } from '../../../src/deploy/network.js'
import type { DeployResult } from '../../../src/deploy/network.js'
import { execHelm, Helm } from '../../../src/deploy/helm.js'
import { resolveHelm } from '../../../src/deploy/helm-binary.js'
import { loadKubeConfig } from '../../../src/kube/client.js'
import { MemoryLogger } from '../../../src/log/logger.js'
import { loadNetworkText } from '../../../src/model/load.js'
import type { Network } from '../../../src/model/network.js'
import { bareCluster, buildPlan } from '../../../src/plan/plan.js'
import type { Plan } from '../../../src/plan/types.js'
import { nodeKey } from '../../../src/platforms/ethereum/keys.js'
import type { ProvisionedCluster } from '../../../src/providers/provider.js'
import { readSimCluster } from '../../../src/providers/sim/launcher.js'
import { stopProcess } from '../../../src/providers/sim/process.js'
import { SimProvider } from '../../../src/providers/sim/provider.js'

const workDir = mkdtempSync(join(tmpdir(), 'baf-deploy-test-'))
const provider = new SimProvider()
const log = new MemoryLogger()
let clusters: ProvisionedCluster[] = []
let helm: Helm

function networkYaml(prefix: string, proxy: string, extra = ''): string {
  return `network:
  type: besu
  version: 23.10.2
  env: { type: t, proxy: ${proxy}, retry_count: 1, ambassadorPorts: { portRange: { from: 15010, to: 15030 } } }
  config: { consensus: qbft, chain_id: 2024 }
  organizations:
    - organization:
      name: ${prefix}-val
      external_url_suffix: ${prefix}-val.baf.test
      k8s: { context: c1 }
      services:
        validators:
          - { name: ${prefix}-v1, bootnode: true, p2p: { port: 30303, ambassador: 15010 }, rpc: { port: 8545 } }
          - { name: ${prefix}-v2, p2p: { port: 30303, ambassador: 15011 }, rpc: { port: 8545 } }
          - { name: ${prefix}-v3, p2p: { port: 30303, ambassador: 15012 }, rpc: { port: 8545 } }
          - { name: ${prefix}-v4, p2p: { port: 30303, ambassador: 15013 }, rpc: { port: 8545 } }
    - organization:
      name: ${prefix}-mem
      external_url_suffix: ${prefix}-mem.baf.test
      k8s: { context: c2 }
      services:
        peers:
          - { name: ${prefix}-m1, p2p: { port: 30303, ambassador: 15010 }, rpc: { port: 8545 } }
          - { name: ${prefix}-m2, p2p: { port: 30303, ambassador: 15011 }, rpc: { port: 8545 } }
baf:
  seed: ${prefix}-seed
${extra}`
}

async function load(text: string): Promise<{ network: Network; plan: Plan }> {
  const r = await loadNetworkText('net.yaml', text)
  if (!r.network) throw new Error(r.diagnostics.map(d => `${d.line}: ${d.message}`).join('\n'))
  return { network: r.network, plan: buildPlan(r.network) }
}

function deploy(network: Network, plan: Plan, diagnosticsDir = join(workDir, 'diagnostics'), timeoutSeconds = 90): Promise<DeployResult> {
  return deployNetwork({ network, plan, clusters, helm, log, diagnosticsDir, seed: network.seed, installControllers: false, timeoutSeconds })
}

const kc = (name: string) => loadKubeConfig(clusters.find(c => c.name === name)!.kubeconfig)

beforeAll(async () => {
  helm = new Helm(execHelm(await resolveHelm()))
  clusters = await provider.create(
    ['c1', 'c2'].map(name => bareCluster(name)),
    { workDir, log }
  )
}, 180_000)

afterAll(async () => {
  await provider.delete(clusters, { workDir, log })
  await helm.dispose()
}, 60_000)

describe('haproxy', () => {
  let network: Network
  let plan: Plan
  let first: DeployResult

  beforeAll(async () => {
    ;({ network, plan } = await load(networkYaml('h', 'haproxy')))
    first = await deploy(network, plan)
  }, 240_000)

  test('every release is deployed and every gateway got an address', () => {
    expect(first.releases.map(r => [r.id, r.status])).toEqual(plan.releases.map(r => [r.id, 'deployed']))
    expect(first.gatewayAddresses).toEqual({ c1: expect.stringMatching(/^127\.0\.\d+\.\d+$/), c2: expect.stringMatching(/^127\.0\.\d+\.\d+$/) })
  })

  test('RPC hosts are Ingress routes of class haproxy to the node Services', async () => {
    const ingresses = await kc('c2').makeApiClient(NetworkingV1Api).listNamespacedIngress({ namespace: 'h-mem-bes' })
    expect(ingresses.items.map(i => [i.spec?.ingressClassName, i.spec?.rules?.[0].host, i.spec?.rules?.[0].http?.paths[0].backend.service?.name, i.spec?.rules?.[0].http?.paths[0].backend.service?.port?.number]).sort()).toEqual([
      ['haproxy', 'h-m1rpc.h-mem.baf.test', 'h-m1', 8545],
      ['haproxy', 'h-m2rpc.h-mem.baf.test', 'h-m2', 8545]
    ])
  })

  test('nodes of one cluster dial the other cluster through its gateway name and port', async () => {
    const cm = await kc('c2').makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'besu-peers', namespace: 'h-mem-bes' })
    const peers = JSON.parse(cm.data!['static-nodes.json']) as string[]
    const hosts = peers.map(p => p.replace(/^enode:\/\/[0-9a-f]{128}@/, ''))
    expect(hosts).toEqual(['h-v1.h-val.baf.test:15010', 'h-v2.h-val.baf.test:15011', 'h-v3.h-val.baf.test:15012', 'h-v4.h-val.baf.test:15013', 'h-m1.h-mem-bes.svc.cluster.local:30303', 'h-m2.h-mem-bes.svc.cluster.local:30303'])
    expect(cm.data!.bootnodes).toBe(peers[0])
    // the enode ids are the nodes' public keys, derived from the seed
    expect(peers[0]).toBe(`enode://${nodeKey('h-val/h-v1', 'h-seed').publicKey}@h-v1.h-val.baf.test:15010`)
  })

  test('the genesis names the four validators, the same in both clusters', async () => {
    const [g1, g2] = await Promise.all(['c1', 'c2'].map(async (c, i) => (await kc(c).makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'besu-genesis', namespace: i === 0 ? 'h-val-bes' : 'h-mem-bes' })).data!['genesis.json']))
    expect(g1).toBe(g2)
    const genesis = JSON.parse(g1) as { config: { chainId: number; qbft: object }; extraData: string }
    expect(genesis.config.chainId).toBe(2024)
    for (const v of ['h-v1', 'h-v2', 'h-v3', 'h-v4']) expect(genesis.extraData).toContain(nodeKey(`h-val/${v}`, 'h-seed').address.slice(2))
  })

  test('keys live only in Secrets: not in any log line, Helm value or ConfigMap', async () => {
    const keys = ['h-val/h-v1', 'h-val/h-v2', 'h-mem/h-m1'].map(l => nodeKey(l, 'h-seed').privateKey)
    const secret = await kc('c1').makeApiClient(CoreV1Api).readNamespacedSecret({ name: 'h-v1-keys', namespace: 'h-val-bes' })
    expect(Buffer.from(secret.data!.key, 'base64').toString()).toBe(`0x${keys[0]}`)
    const everything = log.lines.join('\n') + JSON.stringify(first)
    for (const k of keys) expect(everything).not.toContain(k)
  })

  test('redeploying the same network changes nothing and fails nothing', async () => {
    const apps = kc('c1').makeApiClient(AppsV1Api)
    const before = await apps.readNamespacedStatefulSet({ name: 'h-v1', namespace: 'h-val-bes' })
    const again = await deploy(network, plan)
    expect(again.releases.every(r => r.status === 'deployed')).toBe(true)
    const after = await apps.readNamespacedStatefulSet({ name: 'h-v1', namespace: 'h-val-bes' })
    expect(after.metadata?.generation).toBe(before.metadata?.generation)
    expect(again.identities).toEqual(first.identities)
  }, 240_000)
})

describe('ambassador', () => {
  test('Listener and TCPMapping per p2p port, Mapping per RPC host, to the right Services', async () => {
    const { network, plan } = await load(networkYaml('a', 'ambassador'))
    const result = await deploy(network, plan)
    expect(result.releases.every(r => r.status === 'deployed')).toBe(true)
    const custom = kc('c1').makeApiClient(CustomObjectsApi)
    const list = async (plural: string): Promise<{ metadata: { name: string }; spec: Record<string, unknown> }[]> =>
      ((await custom.listNamespacedCustomObject({ group: 'getambassador.io', version: 'v3alpha1', namespace: 'a-val-bes', plural })) as { items: { metadata: { name: string }; spec: Record<string, unknown> }[] }).items
    const tcp = await list('tcpmappings')
    expect(tcp.map(t => [t.spec.port, t.spec.service]).sort()).toEqual([
      [15010, 'a-v1.a-val-bes:30303'],
      [15011, 'a-v2.a-val-bes:30303'],
      [15012, 'a-v3.a-val-bes:30303'],
      [15013, 'a-v4.a-val-bes:30303']
    ])
    expect((await list('listeners')).map(l => [l.spec.port, l.spec.protocol]).sort()).toEqual([
      [15010, 'TCP'],
      [15011, 'TCP'],
      [15012, 'TCP'],
      [15013, 'TCP']
    ])
    const mappings = await list('mappings')
    expect(mappings.map(m => [m.spec.hostname, m.spec.service]).sort()).toEqual([
      ['a-v1rpc.a-val.baf.test', 'a-v1.a-val-bes:8545'],
      ['a-v2rpc.a-val.baf.test', 'a-v2.a-val-bes:8545'],
      ['a-v3rpc.a-val.baf.test', 'a-v3.a-val-bes:8545'],
      ['a-v4rpc.a-val.baf.test', 'a-v4.a-val-bes:8545']
    ])
  }, 240_000)
})

test('a value the API server rejects fails naming the release, with diagnostics, leaving no release behind', async () => {
  // requests above limits pass our checks (each is a valid quantity) but not the API server's
  const { network, plan } = await load(networkYaml('f', 'haproxy', '  resources:\n    requests: { memory: 4Gi }\n    limits: { memory: 1Gi }\n'))
  const diagnostics = mkdtempSync(join(tmpdir(), 'baf-diag-'))
  const error = await deploy(network, plan, diagnostics, 60).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(DeployFailed)
  const message = (error as Error).message
  expect(message).toMatch(/c1\/f-val-bes\/f-v1: helm upgrade --install f-v1 in f-val-bes: .*must be less than or equal to memory limit/)
  expect(message).toMatch(/were not started/)
  const releases = (error as DeployFailed).result.releases
  expect(releases.find(r => r.id === 'c2/f-mem-bes/f-m1')?.status).toBe('skipped')
  expect(existsSync(join(diagnostics, 'c1', 'f-val-bes', 'events.txt'))).toBe(true)
  expect(readFileSync(join(diagnostics, 'c1', 'f-val-bes', 'helm-status-f-v1.txt'), 'utf8')).toContain('not found')
}, 240_000)

test('the API server of one cluster dies mid-deploy: the run ends, bounded, naming that cluster', async () => {
  const { network, plan } = await load(networkYaml('k', 'haproxy'))
  const c2 = await readSimCluster(clusters.find(c => c.name === 'c2')!.dir!)
  const apiserver = c2.processes.find(p => p.name === 'kube-apiserver')!
  // the outcome is taken at once, so a failure before the kill is never an unhandled rejection
  const outcome = deploy(network, plan, mkdtempSync(join(tmpdir(), 'baf-diag-')), 30).then(
    () => undefined,
    (e: unknown) => e
  )
  // the member organisation's releases on c2 wait for the bootnodes on c1: kill c2's API server now
  await new Promise(r => setTimeout(r, 1500))
  await stopProcess(apiserver.pid, 2000)
  // bounded: the test's own timeout fails a run that hangs
  const error = await outcome
  expect(error).toBeInstanceOf(DeployFailed)
  expect((error as Error).message).toMatch(/c2\//)
}, 300_000)
