// The in-cluster runner against real sim clusters (kube-apiserver, controller-manager, scheduler,
// etcd, kwok): one Job per source cluster is created as specified, kwok completes it without
// running a container, the runner sees no termination message and reports every probe skipped
// with the sim reason (never passed), and everything it created is deleted afterwards.

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { BatchV1Api, CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node'
import type { KubernetesObject, V1ConfigMap, V1Job, V1Pod, V1ServiceAccount } from '@kubernetes/client-node'

import { loadKubeConfig, waitForWatch } from '../../../src/kube/client.js'
import { MemoryLogger } from '../../../src/log/logger.js'
import { validateFiles } from '../../../src/model/index.js'
import { buildPlan } from '../../../src/plan/plan.js'
import type { Plan } from '../../../src/plan/types.js'
import { SIM_SKIP_REASON } from '../../../src/probe/in-cluster/job-runner.js'
import { terminationOf } from '../../../src/probe/in-cluster/termination.js'
import { probeState } from '../../../src/probe/run.js'
import type { ProvisionedCluster } from '../../../src/providers/provider.js'
import { resolveSimBinaries } from '../../../src/providers/sim/binaries.js'
import { SimProvider } from '../../../src/providers/sim/provider.js'
import { readState, STATE_VERSION, writeState } from '../../../src/state/state.js'
import { runAction } from '../../harness/run-action.js'

const LABEL = 'app.kubernetes.io/name=baf-probe'
const log = new MemoryLogger()
const workDir = mkdtempSync(join(tmpdir(), 'baf-probe-sim-'))
const provider = new SimProvider()
let clusters: ProvisionedCluster[] = []
let plan: Plan

beforeAll(async () => {
  await resolveSimBinaries()
  plan = buildPlan((await validateFiles(['examples/besu-2-clusters.yaml'])).networks[0])
  clusters = await provider.create(plan.clusters, { workDir, log })
}, 240_000)

afterAll(async () => {
  await provider.delete(clusters, { workDir, log })
}, 60_000)

async function stateDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'baf-probe-sim-state-'))
  await writeState(dir, { version: STATE_VERSION, createdAt: new Date().toISOString(), networkFile: 'examples/besu-2-clusters.yaml', provider: 'sim', plan, clusters, timings: [] })
  return dir
}

/** everything labelled as ours that is not already being deleted */
async function leftovers(c: ProvisionedCluster): Promise<string[]> {
  const kc = loadKubeConfig(c.kubeconfig)
  const core = kc.makeApiClient(CoreV1Api)
  const batch = kc.makeApiClient(BatchV1Api)
  const live = (items: KubernetesObject[]): string[] => items.filter(o => !o.metadata?.deletionTimestamp).map(o => `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`)
  return [
    ...live((await batch.listJobForAllNamespaces({ labelSelector: LABEL })).items.map(o => ({ ...o, kind: 'Job' }))),
    ...live((await core.listConfigMapForAllNamespaces({ labelSelector: LABEL })).items.map(o => ({ ...o, kind: 'ConfigMap' }))),
    ...live((await core.listServiceAccountForAllNamespaces({ labelSelector: LABEL })).items.map(o => ({ ...o, kind: 'ServiceAccount' }))),
    ...live((await core.listNamespace({ labelSelector: LABEL })).items.map(o => ({ ...o, kind: 'Namespace' })))
  ]
}

test('one Job per source cluster; kwok completes it with no message; probes are skipped, not passed; all deleted', async () => {
  // watch each cluster for what the runner creates, while it runs
  const seen = clusters.map(c => {
    const kc = loadKubeConfig(c.kubeconfig)
    const opts = { query: { labelSelector: LABEL }, timeoutMs: 120_000 }
    return {
      job: waitForWatch<V1Job>(kc, { ...opts, path: '/apis/batch/v1/jobs', what: 'probe Job', done: m => [...m.values()].some(j => (j.status?.succeeded ?? 0) > 0) }),
      configMap: waitForWatch<V1ConfigMap>(kc, { ...opts, path: '/api/v1/configmaps', what: 'probe ConfigMap', done: m => m.size > 0 }),
      serviceAccount: waitForWatch<V1ServiceAccount>(kc, { ...opts, path: '/api/v1/serviceaccounts', what: 'probe ServiceAccount', done: m => m.size > 0 }),
      pod: waitForWatch<V1Pod>(kc, { ...opts, path: '/api/v1/pods', what: 'probe pod terminated', done: m => [...m.values()].some(p => terminationOf(p) !== undefined) })
    }
  })
  const dir = await stateDir()
  const result = await probeState({ stateDir: dir, runner: 'in-cluster', options: { deadlineMs: 60_000 }, log })

  expect(result.run.runner).toBe('in-cluster')
  expect(result.run.results).toHaveLength(plan.probes.length)
  expect(result.run.results.every(r => r.outcome === 'skipped' && r.message === SIM_SKIP_REASON)).toBe(true)
  expect(result.run.summary).toMatchObject({ total: plan.probes.length, passed: 0, failed: 0, skipped: plan.probes.length, requiredFailed: 0 })
  expect(result.run.verdict).toBe('skipped')
  expect((await readState(dir)).probes?.verdict).toBe('skipped')

  for (const [i, c] of clusters.entries()) {
    const job = [...(await seen[i].job).values()][0]
    const specs = plan.probes.filter(p => p.from === c.name)
    expect(job.metadata?.labels).toMatchObject({ 'baf-action/source': c.name, 'app.kubernetes.io/managed-by': 'baf-action' })
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 60 + 120 })
    expect(job.spec?.template.spec?.containers[0].image).toMatch(/^node:22\./)
    const cm = [...(await seen[i].configMap).values()][0]
    expect(JSON.parse(cm.data!['config.json']).specs.map((s: { id: string }) => s.id)).toEqual(specs.map(s => s.id))
    expect(cm.data!['probe-runner.mjs'].length).toBeGreaterThan(10_000)
    const sa = [...(await seen[i].serviceAccount).values()][0]
    expect(sa.automountServiceAccountToken).toBe(false)
    // the pod as kwok left it: terminated, exit 0, no message - the shape the runner reads as "no container ran"
    const pod = [...(await seen[i].pod).values()].find(p => terminationOf(p))!
    expect(terminationOf(pod)).toEqual({ exitCode: 0, reason: 'Completed' })
    expect(log.lines).toContain(`info: ${c.name}: probe Job ${job.metadata?.namespace}/${job.metadata?.name} created for ${specs.length} probe(s)`)
    // no binding names the probe's ServiceAccount: it has no API permissions at all
    const rbac = loadKubeConfig(c.kubeconfig).makeApiClient(RbacAuthorizationV1Api)
    const bindings = [...(await rbac.listRoleBindingForAllNamespaces()).items, ...(await rbac.listClusterRoleBinding()).items]
    expect(bindings.filter(b => b.subjects?.some(s => s.name === sa.metadata?.name))).toEqual([])
    expect(await leftovers(c)).toEqual([])
    // and the namespace (with the pod) is really gone once the namespace controller is done
    const core = loadKubeConfig(c.kubeconfig).makeApiClient(CoreV1Api)
    let remaining = -1
    for (let n = 0; n < 120 && remaining !== 0; n++) {
      remaining = (await core.listNamespace({ labelSelector: LABEL })).items.length
      if (remaining > 0) await new Promise(r => setTimeout(r, 500))
    }
    expect(remaining).toBe(0)
  }
}, 180_000)

test('the probe action with runner in-cluster on sim: verdict skipped, the step does not fail', async () => {
  const dir = await stateDir()
  const r = await runAction('dist/probe/index.js', { state: dir, network: '', 'fail-on-required': 'true', runner: 'in-cluster', resolver: '', ca: '', 'timeout-seconds': '60', concurrency: '64', samples: '1', image: '' })
  expect(r.stdout).toContain(`0 passed, 0 failed, 0 inconclusive, ${plan.probes.length} skipped (${SIM_SKIP_REASON})`)
  expect(r.outputs).toMatchObject({ verdict: 'skipped', passed: '0', failed: '0' })
  expect(r.code).toBe(0)
  for (const c of clusters) expect(await leftovers(c)).toEqual([])
}, 120_000)
