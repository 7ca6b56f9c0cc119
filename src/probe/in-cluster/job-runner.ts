// Runs the probes of each source cluster inside it: one Job per cluster (in parallel), results
// read back from the pod's termination message (or its log), and every object deleted
// afterwards. On a sim cluster no container runs: the pod completes with no message, and its
// probes are reported skipped - never passed.

import { randomBytes } from 'node:crypto'

import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node'
import type { KubeConfig, V1Job, V1Pod } from '@kubernetes/client-node'

import { apiErrorCode, applyObjects, loadKubeConfig, waitForWatch } from '../../kube/client.js'
import type { Logger } from '../../log/logger.js'
import { isSimulated } from '../../providers/provider.js'
import type { ProvisionedCluster } from '../../providers/provider.js'
import type { ProbeOptions } from '../options.js'
import { notRun } from '../suite.js'
import type { ProbeResult, ProbeSpec } from '../types.js'
import { CONTAINER, probeJobObjects, probeNamespace } from './manifests.js'
import type { RunnerConfig } from './main.js'
import { decodeResults, terminationOf } from './termination.js'
import type { Decoded } from './termination.js'

export const SIM_SKIP_REASON = 'sim cluster: no container runs'

export interface InClusterOpts {
  cluster: ProvisionedCluster
  specs: ProbeSpec[]
  options: ProbeOptions
  /** the engine bundle (dist/probe-runner.js) */
  script: string
  image: string
  /** run in this existing namespace (e.g. the DLT namespace, to see its NetworkPolicies); default: a namespace of its own, deleted afterwards */
  namespace?: string
  log: Logger
  /** time for scheduling and pulling the image, on top of the suite deadline */
  startupSeconds?: number
}

function finished(job: V1Job | undefined): 'Complete' | 'Failed' | undefined {
  const c = job?.status?.conditions?.find(x => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True')
  return c?.type as 'Complete' | 'Failed' | undefined
}

function failedJobReason(job: V1Job | undefined): string {
  const c = job?.status?.conditions?.find(x => x.type === 'Failed' && x.status === 'True')
  return c ? `${c.reason ?? 'Failed'}${c.message ? `: ${c.message}` : ''}` : 'unknown'
}

/** merges what the pod reported with the specs sent; a probe the pod did not report is inconclusive */
export function resultsFrom(specs: ProbeSpec[], decoded: Decoded, cluster: ProvisionedCluster, termination: { exitCode: number } | undefined): ProbeResult[] {
  if (decoded.kind === 'results') {
    const byId = new Map(decoded.payload.results.map(r => [r.id, r]))
    return specs.map(spec => {
      const r = byId.get(spec.id)
      return r ? { ...r, spec } : notRun(spec, 'inconclusive', `the probe pod on ${cluster.name} reported no result for this probe`)
    })
  }
  if (decoded.kind === 'none' && termination?.exitCode === 0 && isSimulated(cluster)) return specs.map(s => notRun(s, 'skipped', SIM_SKIP_REASON))
  const why =
    decoded.kind === 'error'
      ? `the probe runner on ${cluster.name} failed: ${decoded.message}`
      : decoded.kind === 'garbled'
        ? `the probe pod on ${cluster.name} left an unreadable result: ${decoded.text}`
        : `the probe pod on ${cluster.name} finished without a result (no termination message, nothing in its log)`
  return specs.map(s => notRun(s, 'inconclusive', why))
}

async function readLog(core: CoreV1Api, pod: V1Pod): Promise<string | undefined> {
  try {
    return await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, container: CONTAINER, limitBytes: 4 << 20 })
  } catch {
    // no log endpoint (sim) or the pod is gone: the termination message is all there is
    return undefined
  }
}

async function ignoreMissing(what: string, log: Logger, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn()
  } catch (e) {
    if (apiErrorCode(e) !== 404) log.warning(`cleanup: deleting ${what} failed: ${e instanceof Error ? e.message : String(e)}; delete it by hand`)
  }
}

export async function runInCluster(opts: InClusterOpts): Promise<ProbeResult[]> {
  const { cluster, log } = opts
  const runId = randomBytes(3).toString('hex')
  const name = `baf-probe-${runId}`
  const namespace = opts.namespace ?? name
  const kc: KubeConfig = loadKubeConfig(cluster.kubeconfig)
  const core = kc.makeApiClient(CoreV1Api)
  const batch = kc.makeApiClient(BatchV1Api)
  const activeDeadlineSeconds = Math.ceil(opts.options.deadlineMs / 1000) + (opts.startupSeconds ?? 120)
  const config: RunnerConfig = { specs: opts.specs, options: { ...opts.options, resolver: undefined, ca: opts.options.ca } }
  const started = Date.now()
  let createdNamespace = false
  try {
    if (!opts.namespace) {
      await applyObjects(kc, [probeNamespace(namespace, { runId, source: cluster.name })])
      createdNamespace = true
    }
    await applyObjects(kc, probeJobObjects({ name, namespace, runId, source: cluster.name, image: opts.image, script: opts.script, config: JSON.stringify(config), activeDeadlineSeconds }))
    log.info(`${cluster.name}: probe Job ${namespace}/${name} created for ${opts.specs.length} probe(s)`)
    const jobs = await waitForWatch<V1Job>(kc, {
      path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
      query: { fieldSelector: `metadata.name=${name}` },
      done: m => finished(m.get(`${namespace}/${name}`)) !== undefined,
      timeoutMs: (activeDeadlineSeconds + 30) * 1000,
      what: `probe Job ${namespace}/${name} on ${cluster.name} to finish`
    })
    const job = jobs.get(`${namespace}/${name}`)
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: `baf-action/probe-run=${runId}` })).items
    const pod = pods.sort((a, b) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')))[0]
    const termination = pod ? terminationOf(pod, CONTAINER) : undefined
    let decoded = decodeResults(termination?.message)
    // kwok nodes serve no logs (and the API server would only be sent to a node address for nothing)
    if (decoded.kind !== 'results' && pod && !isSimulated(cluster)) decoded = decodeResults(termination?.message, await readLog(core, pod))
    if (decoded.kind === 'none' && finished(job) === 'Failed') decoded = { kind: 'error', message: `Job failed (${failedJobReason(job)})` }
    log.info(`${cluster.name}: probe Job ${finished(job)?.toLowerCase()} in ${((Date.now() - started) / 1000).toFixed(1)} s; ${decoded.kind === 'results' ? `results from the ${decoded.source}` : 'no results'}`)
    return resultsFrom(opts.specs, decoded, cluster, termination)
  } catch (e) {
    const why = `the in-cluster runner on ${cluster.name} failed: ${e instanceof Error ? e.message : String(e)}`
    log.warning(why)
    return opts.specs.map(s => notRun(s, 'inconclusive', why))
  } finally {
    // the Job's pods go with it (background propagation); the namespace last
    await ignoreMissing(`Job ${namespace}/${name}`, log, () => batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }))
    await ignoreMissing(`ConfigMap ${namespace}/${name}`, log, () => core.deleteNamespacedConfigMap({ name, namespace }))
    await ignoreMissing(`ServiceAccount ${namespace}/${name}`, log, () => core.deleteNamespacedServiceAccount({ name, namespace }))
    if (createdNamespace) await ignoreMissing(`namespace ${namespace}`, log, () => core.deleteNamespace({ name: namespace }))
  }
}
