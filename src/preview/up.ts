// `baf up --pr N` and the deploy action with a `pr`: the network as PR N's preview on long-lived
// clusters reached through a kubeconfig. The PR is checked to be open before anything is
// created (a merge racing the deploy must not leave orphans); the preview is never torn down by
// the run itself, whatever its outcome: closing the PR or the sweeper removes it.

import { CoreV1Api } from '@kubernetes/client-node'
import type { KubernetesObject } from '@kubernetes/client-node'

import { errorMessage } from '../errors.js'
import { Helm, execHelm } from '../deploy/helm.js'
import { resolveHelm } from '../deploy/helm-binary.js'
import { apiErrorCode, applyObjects, loadKubeConfig } from '../kube/client.js'
import type { Logger } from '../log/logger.js'
import { diagnosticsDir, deployPhase, phase, probePhase, ProbesFailed, report, validateAndPlan } from '../pipeline/pipeline.js'
import type { Plan } from '../plan/types.js'
import { ExistingProvider } from '../providers/existing/provider.js'
import { isSimulated } from '../providers/provider.js'
import type { ProvisionedCluster } from '../providers/provider.js'
import { newState, writeState } from '../state/state.js'
import type { ChartSource } from '../model/network.js'
import type { State } from '../state/state.js'
import { PREVIEW_LABELS, previewLabels, previewPlan, repoLabel, tcpPortsByCluster } from './preview.js'
import type { PreviewTarget } from './preview.js'
import { allocateOffset, entryKey, GatewayRegistry } from './registry.js'
import { reconcileGateway } from './shared-gateway.js'

export interface PreviewUpOpts {
  networkFile: string
  stateDir: string
  target: PreviewTarget
  log: Logger
  /** one context per organisation (k8s.context); default BAF_KUBECONFIG, KUBECONFIG, ~/.kube/config */
  kubeconfig?: string
  seed?: string
  /** overrides the network's baf.chart_source */
  chartSource?: ChartSource
  /** throws when the PR must not be deployed (closed, merged); asked before anything is created */
  checkOpen?: () => Promise<void>
  onState?: (path: string, state: State) => void
  now?: () => number
}

export class PreviewRefused extends Error {
  override name = 'PreviewRefused'
}

/** A namespace the preview would use must be absent or already this preview's. */
async function checkNamespacesOurs(clusters: ProvisionedCluster[], plan: Plan, labels: Record<string, string>): Promise<void> {
  for (const c of clusters) {
    const core = loadKubeConfig(c.kubeconfig).makeApiClient(CoreV1Api)
    const planCluster = plan.clusters.find(p => p.name === c.name)
    const namespaces = (planCluster?.namespaces ?? []).filter(n => n !== planCluster?.gateway.namespace)
    for (const name of namespaces) {
      let existing: Record<string, string> | undefined
      try {
        existing = (await core.readNamespace({ name })).metadata?.labels ?? {}
      } catch (e) {
        if (apiErrorCode(e) === 404) continue
        throw e
      }
      const mine = existing[PREVIEW_LABELS.pr] === labels[PREVIEW_LABELS.pr] && existing[PREVIEW_LABELS.repo] === labels[PREVIEW_LABELS.repo]
      if (!mine) {
        const owner = existing[PREVIEW_LABELS.pr] ? `the preview of PR ${existing[PREVIEW_LABELS.pr]} of ${existing[PREVIEW_LABELS.repo] ?? 'another repository'}` : 'something that is not a baf-action preview'
        throw new PreviewRefused(`${c.name}: namespace ${name} already exists and belongs to ${owner}; nothing was deployed. Remove it, or give the organisation another name.`)
      }
    }
  }
}

export async function previewUp(o: PreviewUpOpts): Promise<State> {
  const now = o.now ?? Date.now
  const { log, target } = o
  const { network, plan: base } = await validateAndPlan(o.networkFile, log, { chartSource: o.chartSource })
  const state = newState(o.networkFile, 'existing', base)
  const path = await writeState(o.stateDir, state)
  o.onState?.(path, state)
  if (o.checkOpen) await phase(state, `Check that PR #${target.pr} is open`, log, o.checkOpen)

  const provider = o.kubeconfig ? new ExistingProvider({ kubeconfig: o.kubeconfig }) : ExistingProvider.fromEnv()
  const providerOpts = { workDir: o.stateDir, log }
  state.clusters = await phase(state, `Reach ${base.clusters.length} existing cluster(s)`, log, () => provider.create(base.clusters, providerOpts))
  await writeState(o.stateDir, state)
  const simulated = state.clusters.some(isSimulated)

  const key = entryKey(repoLabel(target.repo), target.pr)
  const labels = previewLabels(target, now())
  const expiresAt = Number(labels[PREVIEW_LABELS.expiresAt])
  const registries = new Map(state.clusters.map(c => [c.name, new GatewayRegistry(loadKubeConfig(c.kubeconfig), network.proxyNamespace)]))
  const registryOf = (cluster: string): GatewayRegistry => registries.get(cluster)!

  const { network: preview, plan } = await phase(state, `Plan the preview of PR #${target.pr}`, log, async () => {
    const offsets: Record<string, number> = {}
    const basePorts = tcpPortsByCluster(base)
    if (network.proxy !== 'none') {
      for (const c of base.clusters) {
        const contents = await registryOf(c.name).read()
        const others = [...contents.entries].filter(([k]) => k !== key).flatMap(([, e]) => e.listeners.map(l => l.port))
        offsets[c.name] = allocateOffset(basePorts.get(c.name) ?? [], target.pr, others, contents.entries.get(key)?.offset)
      }
    }
    const planned = previewPlan(network, base, target.pr, offsets)
    await checkNamespacesOurs(state.clusters, planned.plan, labels)
    state.preview = { pr: target.pr, repo: target.repo, sha: target.sha, expiresAt, offsets }
    for (const c of planned.plan.clusters) {
      const tcp = c.gateway.listeners.filter(l => l.protocol === 'tcp').map(l => l.port)
      log.info(`${c.name}: PR #${target.pr} in ${c.namespaces.filter(n => n !== c.gateway.namespace).join(', ')}${tcp.length ? `, gateway TCP ports ${Math.min(...tcp)}-${Math.max(...tcp)} (offset ${offsets[c.name]})` : ''}`)
    }
    return planned
  })
  state.plan = plan
  await writeState(o.stateDir, state)

  let helm: Helm | undefined
  try {
    if (network.proxy !== 'none') {
      // the entries first: the shared controller is installed from every preview's entry, this one's included
      await Promise.all(
        plan.clusters.map(async c => {
          const kc = loadKubeConfig(state.clusters.find(p => p.name === c.name)!.kubeconfig)
          await applyObjects(kc, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: c.gateway.namespace } } as KubernetesObject])
          await registryOf(c.name).put(
            key,
            { pr: target.pr, repo: labels[PREVIEW_LABELS.repo], sha: target.sha, offset: state.preview!.offsets[c.name] ?? 0, expiresAt, listeners: c.gateway.listeners.filter(l => l.protocol === 'tcp') },
            { kind: c.gateway.kind, controller: simulated ? 'sim' : 'helm', cluster: c.name, namespace: c.gateway.namespace }
          )
        })
      )
    }
    await deployPhase(state, preview, {
      stateDir: o.stateDir,
      seed: o.seed,
      log,
      installControllers: !simulated,
      namespaceLabels: labels,
      sharedGateway: async (kc, cluster) => {
        helm ??= simulated ? undefined : new Helm(execHelm(await resolveHelm()))
        await reconcileGateway({ kc, kubeconfig: cluster.kubeconfig, registry: registryOf(cluster.name), helm, log })
      }
    })
    await probePhase(state, o.stateDir, log)
    await report(state, o.stateDir, log)
    log.info(previewSummary(state))
    if (state.probes?.verdict === 'fail') throw new ProbesFailed(`${state.probes.summary.requiredFailed} required probe(s) of PR #${target.pr}'s preview failed`)
    return state
  } catch (e) {
    await report(state, o.stateDir, log)
    await provider.collectDiagnostics(state.clusters, diagnosticsDir(o.stateDir), providerOpts)
    log.warning(`the preview of PR #${target.pr} is left as it is for inspection (${errorMessage(e).split('\n')[0]}); closing the PR, "baf down --pr ${target.pr}" or the sweeper removes it`)
    throw e
  } finally {
    await helm?.dispose()
    await writeState(o.stateDir, state)
  }
}

export function previewSummary(state: State): string {
  const p = state.preview!
  const lines = [`PR #${p.pr} preview up until ${new Date(p.expiresAt * 1000).toISOString()}: ${state.releases?.filter(r => r.status === 'deployed').length ?? 0} release(s) on ${state.clusters.length} cluster(s)`]
  for (const e of state.plan.endpoints.filter(e => e.name === 'rpc').slice(0, 3)) lines.push(`  ${e.org}/${e.node} JSON-RPC: http://${e.host}:${e.port}`)
  lines.push(`tear down with: baf down --pr ${p.pr}${p.repo ? ` --repo ${p.repo}` : ''} --kubeconfig KUBECONFIG`)
  return lines.join('\n')
}
