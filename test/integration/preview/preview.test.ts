// PR previews on two real sim clusters reached as existing ones (one kubeconfig, a context per
// organisation), installed with the real helm: two PRs side by side without clashing names,
// routes or ports; an update in place; a close that removes one PR only; a sweeper that reclaims
// expired and closed previews and nothing unlabelled; a closed PR refused before anything exists
// (GitHub's answer served by Prism from GitHub's own OpenAPI description).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { AppsV1Api, CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node'
import type { V1Namespace } from '@kubernetes/client-node'
import { parse, stringify } from 'yaml'

import { GitHubClient } from '../../../src/github/client.js'
import { apiErrorCode, loadKubeConfig } from '../../../src/kube/client.js'
import { MemoryLogger } from '../../../src/log/logger.js'
import { bareCluster } from '../../../src/plan/plan.js'
import { down, up } from '../../../src/pipeline/pipeline.js'
import { requireOpen } from '../../../src/preview/github.js'
import { PREVIEW_LABELS } from '../../../src/preview/preview.js'
import { previewDown, sweep } from '../../../src/preview/reclaim.js'
import { GatewayRegistry } from '../../../src/preview/registry.js'
import { PreviewRefused, previewUp } from '../../../src/preview/up.js'
import type { ProvisionedCluster } from '../../../src/providers/provider.js'
import { SimProvider } from '../../../src/providers/sim/provider.js'
import type { State } from '../../../src/state/state.js'
import { startPrism, writeSpecSubset } from '../report/prism.js'
import type { Prism } from '../report/prism.js'

const workDir = mkdtempSync(join(tmpdir(), 'baf-preview-test-'))
const sim = new SimProvider()
const log = new MemoryLogger()
let clusters: ProvisionedCluster[] = []
let kubeconfig = ''
const networkFile = join(workDir, 'network.yaml')
const REPO = 'octo-org/ledger'
const HOUR = 3600
/** where Bevel puts haproxy-ingress */
const GATEWAY_NS = 'ingress-controller'

writeFileSync(
  networkFile,
  `network:
  type: besu
  version: 23.10.2
  env: { type: t, proxy: haproxy, retry_count: 1 }
  config: { consensus: qbft, chain_id: 2024 }
  organizations:
    - organization:
      name: p-val
      external_url_suffix: p-val.baf.test
      k8s: { context: ctx-c1 }
      services:
        validators:
          - { name: p-v1, bootnode: true, p2p: { port: 30303 }, rpc: { port: 8545 } }
          - { name: p-v2, p2p: { port: 30303 }, rpc: { port: 8545 } }
          - { name: p-v3, p2p: { port: 30303 }, rpc: { port: 8545 } }
          - { name: p-v4, p2p: { port: 30303 }, rpc: { port: 8545 } }
    - organization:
      name: p-mem
      external_url_suffix: p-mem.baf.test
      k8s: { context: ctx-c2 }
      services:
        peers:
          - { name: p-m1, p2p: { port: 30303 }, rpc: { port: 8545 } }
baf:
  seed: preview-seed
`
)

type Doc = { clusters: { cluster: Record<string, unknown> }[]; users: { user: Record<string, unknown> }[] }

/** One kubeconfig with a context per sim cluster, as a team hands over its long-lived clusters. */
function mergedKubeconfig(): string {
  const docs = clusters.map(c => parse(readFileSync(c.kubeconfig, 'utf8')) as Doc)
  const file = join(workDir, 'kubeconfig')
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: docs.map((d, i) => ({ name: `cl-${clusters[i].name}`, cluster: d.clusters[0].cluster })),
      users: docs.map((d, i) => ({ name: `admin-${clusters[i].name}`, user: d.users[0].user })),
      contexts: clusters.map(c => ({ name: `ctx-${c.name}`, context: { cluster: `cl-${c.name}`, user: `admin-${c.name}` } })),
      'current-context': `ctx-${clusters[0].name}`
    }),
    { mode: 0o600 }
  )
  return file
}

const kc = (i: number) => loadKubeConfig(clusters[i].kubeconfig)
const core = (i: number) => kc(i).makeApiClient(CoreV1Api)

function deployPreview(pr: number, opts: { sha?: string; ttlSeconds?: number; now?: () => number; checkOpen?: () => Promise<void> } = {}): Promise<State> {
  return previewUp({
    networkFile,
    stateDir: join(workDir, `state-pr${pr}-${Date.now()}`),
    target: { pr, repo: REPO, sha: opts.sha ?? `${pr}`.padStart(7, 'a') + 'b'.repeat(33), ttlSeconds: opts.ttlSeconds ?? 6 * HOUR },
    kubeconfig,
    log,
    now: opts.now,
    checkOpen: opts.checkOpen
  })
}

/** the namespace, or undefined once it is gone; a namespace being deleted counts as gone */
async function namespace(i: number, name: string): Promise<V1Namespace | undefined> {
  try {
    const ns = await core(i).readNamespace({ name })
    return ns.metadata?.deletionTimestamp ? undefined : ns
  } catch (e) {
    if (apiErrorCode(e) === 404) return undefined
    throw e
  }
}

async function gatewayPorts(i: number): Promise<number[]> {
  const svc = await core(i).readNamespacedService({ name: 'baf-gateway', namespace: GATEWAY_NS })
  return (svc.spec?.ports ?? []).map(p => p.port).sort((a, b) => a - b)
}

async function staticNodes(i: number, ns: string): Promise<string[]> {
  const cm = await core(i).readNamespacedConfigMap({ name: 'besu-peers', namespace: ns })
  return JSON.parse(cm.data!['static-nodes.json']) as string[]
}

let pr7: State
let pr8: State

beforeAll(async () => {
  clusters = await sim.create([bareCluster('c1'), bareCluster('c2')], { workDir, log })
  kubeconfig = mergedKubeconfig()
  // two PRs deployed at the same moment share each cluster's gateway
  ;[pr7, pr8] = await Promise.all([deployPreview(7), deployPreview(8)])
}, 300_000)

afterAll(async () => {
  await sim.delete(clusters, { workDir, log })
}, 60_000)

describe('two previews in one pair of clusters', () => {
  test('each organisation of each PR has its own labelled namespace', async () => {
    for (const [i, base] of [[0, 'p-val-bes'], [1, 'p-mem-bes']] as const) {
      for (const pr of [7, 8]) {
        const ns = await namespace(i, `${base}-pr${pr}`)
        const labels = ns?.metadata?.labels ?? {}
        expect(labels[PREVIEW_LABELS.pr]).toBe(String(pr))
        expect(labels[PREVIEW_LABELS.repo]).toBe('octo-org.ledger')
        expect(labels[PREVIEW_LABELS.sha]).toMatch(/^a+\d+b+$/)
        expect(Number(labels[PREVIEW_LABELS.expiresAt])).toBeGreaterThan(Date.now() / 1000 + 5 * HOUR)
        expect(labels['app.kubernetes.io/managed-by']).toBe('baf-action')
      }
    }
    expect(pr7.releases!.every(r => r.status === 'deployed')).toBe(true)
    expect(pr8.releases!.every(r => r.status === 'deployed')).toBe(true)
  })

  test('host names carry the PR, so both share one ingress class without clashing', async () => {
    const hosts = async (ns: string) => (await kc(1).makeApiClient(NetworkingV1Api).listNamespacedIngress({ namespace: ns })).items.map(i => i.spec?.rules?.[0].host)
    expect(await hosts('p-mem-bes-pr7')).toEqual(['p-m1rpc.pr7.p-mem.baf.test'])
    expect(await hosts('p-mem-bes-pr8')).toEqual(['p-m1rpc.pr8.p-mem.baf.test'])
  })

  test('each PR dials the other cluster through its own block of gateway ports', async () => {
    const peers7 = await staticNodes(1, 'p-mem-bes-pr7')
    const peers8 = await staticNodes(1, 'p-mem-bes-pr8')
    const remote = (peers: string[]) => peers.map(p => p.replace(/^enode:\/\/[0-9a-f]{128}@/, '')).filter(h => !h.includes('.svc.'))
    const ports = (peers: string[]) => remote(peers).map(h => Number(h.split(':')[1]))
    expect(remote(peers7).map(h => h.split(':')[0])).toEqual(['p-v1.pr7.p-val.baf.test', 'p-v2.pr7.p-val.baf.test', 'p-v3.pr7.p-val.baf.test', 'p-v4.pr7.p-val.baf.test'])
    expect(remote(peers8).map(h => h.split(':')[0])).toEqual(['p-v1.pr8.p-val.baf.test', 'p-v2.pr8.p-val.baf.test', 'p-v3.pr8.p-val.baf.test', 'p-v4.pr8.p-val.baf.test'])
    expect(ports(peers7).filter(p => ports(peers8).includes(p))).toEqual([])
    // the plan's TCP ports are the base ports (15010...) moved by the recorded offset
    expect(ports(peers7)).toEqual([15010, 15011, 15012, 15013].map(p => p + pr7.preview!.offsets['ctx-c1']))
    expect(pr7.preview!.offsets['ctx-c1']).toBeGreaterThan(0)
    expect(pr7.preview!.offsets['ctx-c1']).not.toBe(pr8.preview!.offsets['ctx-c1'])
  })

  test('the shared gateway publishes both previews\' TCP ports; its registry holds one entry per PR', async () => {
    const expected = [pr7, pr8].flatMap(s => s.plan.clusters[0].gateway.listeners.filter(l => l.protocol === 'tcp').map(l => l.port))
    expect(await gatewayPorts(0)).toEqual([80, 443, ...expected].sort((a, b) => a - b))
    const registry = await new GatewayRegistry(kc(0), GATEWAY_NS).read()
    expect([...registry.entries.keys()].sort()).toEqual(['octo-org.ledger.pr-7', 'octo-org.ledger.pr-8'])
  })

  test('a new push updates PR 7 in place: same objects, new commit label, same ports', async () => {
    const before = await kc(0).makeApiClient(AppsV1Api).readNamespacedStatefulSet({ name: 'p-v1', namespace: 'p-val-bes-pr7' })
    const again = await deployPreview(7, { sha: 'c0ffee0' + 'd'.repeat(33) })
    const after = await kc(0).makeApiClient(AppsV1Api).readNamespacedStatefulSet({ name: 'p-v1', namespace: 'p-val-bes-pr7' })
    expect(after.metadata?.uid).toBe(before.metadata?.uid)
    expect(again.preview!.offsets).toEqual(pr7.preview!.offsets)
    expect((await namespace(0, 'p-val-bes-pr7'))?.metadata?.labels?.[PREVIEW_LABELS.sha]).toBe('c0ffee0ddddd')
  }, 120_000)
})

describe('a deploy without a PR on clusters whose gateway previews share', () => {
  test('stops before any change, naming the previews it would cut off', async () => {
    const file = join(workDir, 'plain-haproxy.yaml')
    writeFileSync(file, readFileSync(networkFile, 'utf8').replace(/p-(val|mem|v\d|m1)/g, 's-$1'))
    const stateDir = join(workDir, 'plain-haproxy-state')
    const portsBefore = await gatewayPorts(0)
    process.env.BAF_KUBECONFIG = kubeconfig
    let error: unknown
    try {
      await up({ networkFile: file, provider: 'existing', stateDir, keep: false, log }).catch((e: unknown) => (error = e))
    } finally {
      delete process.env.BAF_KUBECONFIG
    }
    expect((error as Error).name).toBe('SharedGatewayInUse')
    expect((error as Error).message).toMatch(
      /^ctx-c1: the haproxy gateway in namespace ingress-controller serves 2 preview\(s\) \(PR #7 of octo-org\.ledger, PR #8 of octo-org\.ledger; ConfigMap ingress-controller\/baf-action-gateway\), and a deploy without a PR number would replace their routes with its own; nothing was deployed/
    )
    expect(await namespace(0, 's-val-bes')).toBeUndefined()
    expect(await namespace(1, 's-mem-bes')).toBeUndefined()
    expect(await gatewayPorts(0)).toEqual(portsBefore)
  }, 120_000)
})

describe('a closed PR', () => {
  let prism: Prism

  beforeAll(async () => {
    const spec = join(workDir, 'github-pulls.json')
    writeSpecSubset(
      spec,
      s => {
        const pr = s.components.examples['pull-request'].value as { state: string; merged: boolean }
        pr.state = 'closed'
        pr.merged = true
      },
      ['/repos/{owner}/{repo}/pulls/{pull_number}']
    )
    prism = await startPrism(spec)
  }, 90_000)

  afterAll(async () => {
    await prism?.stop()
  })

  test('is refused before anything is created', async () => {
    const client = await GitHubClient.create({ token: 'ghs_test', baseUrl: prism.url, log, accept: 'application/json', retry: { attempts: 1 } })
    await expect(deployPreview(9, { checkOpen: requireOpen(client, REPO, 9) })).rejects.toThrow(new PreviewRefused(`PR #9 is merged in ${REPO}: no preview is deployed for it; nothing was created`))
    expect(await namespace(0, 'p-val-bes-pr9')).toBeUndefined()
    expect(await namespace(1, 'p-mem-bes-pr9')).toBeUndefined()
  })

  test('closing PR 7 removes PR 7 only, and gives its gateway ports back', async () => {
    const removed = await previewDown({ kubeconfig, pr: 7, repo: REPO, workDir: join(workDir, 'down'), log })
    expect(removed.map(r => [r.cluster, r.namespace]).sort()).toEqual([['ctx-c1', 'p-val-bes-pr7'], ['ctx-c2', 'p-mem-bes-pr7']])
    expect(await namespace(0, 'p-val-bes-pr7')).toBeUndefined()
    expect(await namespace(1, 'p-mem-bes-pr7')).toBeUndefined()
    expect(await namespace(0, 'p-val-bes-pr8')).toBeDefined()
    expect(await namespace(1, 'p-mem-bes-pr8')).toBeDefined()
    const pr8Ports = pr8.plan.clusters[0].gateway.listeners.filter(l => l.protocol === 'tcp').map(l => l.port)
    expect(await gatewayPorts(0)).toEqual([80, 443, ...pr8Ports].sort((a, b) => a - b))
    expect([...(await new GatewayRegistry(kc(0), GATEWAY_NS).read()).entries.keys()]).toEqual(['octo-org.ledger.pr-8'])
  }, 120_000)
})

describe('the sweeper', () => {
  beforeAll(async () => {
    // PR 10 was deployed two days ago with a one-day expiry; PR 11's PR has since been closed
    await deployPreview(10, { ttlSeconds: 24 * HOUR, now: () => Date.now() - 48 * HOUR * 1000 })
    await deployPreview(11)
    // namespaces that are not ours, one of them carrying a lookalike PR label
    await core(0).createNamespace({ body: { metadata: { name: 'team-ledger' } } })
    await core(0).createNamespace({ body: { metadata: { name: 'lookalike-pr3', labels: { [PREVIEW_LABELS.pr]: '3', [PREVIEW_LABELS.expiresAt]: '1' } } } })
  }, 240_000)

  const closed = async (pr: number): Promise<string | undefined> => (pr === 11 ? 'PR #11 is closed' : undefined)

  test('a dry run lists what it would reclaim, with the reasons, and deletes nothing', async () => {
    const list = await sweep({ kubeconfig, repo: REPO, closedReason: closed, dryRun: true, workDir: join(workDir, 'sweep'), log })
    expect(list.map(r => [r.cluster, r.namespace, r.pr, r.deleted]).sort()).toEqual([
      ['ctx-c1', 'p-val-bes-pr10', 10, false],
      ['ctx-c1', 'p-val-bes-pr11', 11, false],
      ['ctx-c2', 'p-mem-bes-pr10', 10, false],
      ['ctx-c2', 'p-mem-bes-pr11', 11, false]
    ])
    expect(list.find(r => r.pr === 10)!.reason).toMatch(/^expired at \d{4}-\d\d-\d\dT/)
    expect(list.find(r => r.pr === 11)!.reason).toBe('PR #11 is closed')
    expect(await namespace(0, 'p-val-bes-pr10')).toBeDefined()
  })

  test('reclaims the expired and the closed previews, warns for each, keeps the open one and everything unlabelled', async () => {
    const before = log.lines.length
    const deactivated: number[] = []
    const list = await sweep({ kubeconfig, repo: REPO, closedReason: closed, onReclaimed: async pr => void deactivated.push(pr), workDir: join(workDir, 'sweep'), log })
    expect(list.every(r => r.deleted)).toBe(true)
    // once per PR, however many clusters held it: its deployments go inactive
    expect(deactivated.sort()).toEqual([10, 11])
    expect(new Set(list.map(r => r.pr))).toEqual(new Set([10, 11]))
    for (const ns of ['p-val-bes-pr10', 'p-val-bes-pr11']) expect(await namespace(0, ns)).toBeUndefined()
    for (const ns of ['p-mem-bes-pr10', 'p-mem-bes-pr11']) expect(await namespace(1, ns)).toBeUndefined()
    expect(await namespace(0, 'p-val-bes-pr8')).toBeDefined()
    expect(await namespace(0, 'team-ledger')).toBeDefined()
    expect(await namespace(0, 'lookalike-pr3')).toBeDefined()
    const warnings = log.lines.slice(before).filter(l => /reclaimed the preview of PR #1[01]/.test(l))
    expect(warnings).toHaveLength(4)
    expect(warnings.every(l => l.startsWith('warning'))).toBe(true)
    expect([...(await new GatewayRegistry(kc(0), GATEWAY_NS).read()).entries.keys()]).toEqual(['octo-org.ledger.pr-8'])
  }, 120_000)

  test('without a repository, previews are judged by their expiry alone', async () => {
    const list = await sweep({ kubeconfig, dryRun: true, workDir: join(workDir, 'sweep'), log })
    expect(list).toEqual([])
  })
})

describe('a run without a PR on the same existing clusters', () => {
  test('down deletes the namespaces it made (labelled) and no other', async () => {
    const file = join(workDir, 'plain.yaml')
    writeFileSync(
      file,
      readFileSync(networkFile, 'utf8')
        .replace('proxy: haproxy', 'proxy: none')
        .replace(/p-val/g, 'q-val')
        .replace(/p-mem/g, 'q-mem')
        .replace(/ p-(v\d|m1)/g, ' q-$1')
        // without a gateway both organisations share one cluster
        .replace('context: ctx-c2', 'context: ctx-c1')
    )
    const stateDir = join(workDir, 'plain-state')
    process.env.BAF_KUBECONFIG = kubeconfig
    try {
      await up({ networkFile: file, provider: 'existing', stateDir, keep: false, log })
    } finally {
      delete process.env.BAF_KUBECONFIG
    }
    expect((await namespace(0, 'q-val-bes'))?.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('baf-action')
    await core(0).createNamespace({ body: { metadata: { name: 'team-wallet' } } })
    await down(stateDir, log)
    expect(await namespace(0, 'q-val-bes')).toBeUndefined()
    expect(await namespace(0, 'q-mem-bes')).toBeUndefined()
    expect(await namespace(0, 'team-wallet')).toBeDefined()
  }, 180_000)

  test('a namespace the network names but baf-action did not make survives down', async () => {
    await core(1).createNamespace({ body: { metadata: { name: 'r-mem-bes' } } })
    const state = { plan: { clusters: [{ name: 'ctx-c2', namespaces: ['r-mem-bes'], gateway: { namespace: '' } }] }, clusters: [{ ...clusters[1], name: 'ctx-c2', provider: 'existing' }], provider: 'existing', timings: [], version: 1 }
    const dir = join(workDir, 'foreign-state')
    const { writeState } = await import('../../../src/state/state.js')
    await writeState(dir, state as unknown as State)
    await down(dir, log)
    expect(await namespace(1, 'r-mem-bes')).toBeDefined()
    expect(log.lines).toContain('warning: ctx-c2: namespace r-mem-bes is not labelled app.kubernetes.io/managed-by=baf-action, so it was not made by baf-action and stays')
  })
})
