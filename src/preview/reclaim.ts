// Taking previews down: `baf down --pr N` (a PR was closed) and `baf sweep` (the safety net for
// every teardown that never ran: no `closed` run for a conflicting PR, a cancelled cleanup, a
// fork). Both work from the cluster alone: namespaces are found by baf-action's labels and
// nothing else, and the shared gateway is brought level from its registry.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { CoreV1Api } from '@kubernetes/client-node'
import type { KubeConfig } from '@kubernetes/client-node'

import { errorMessage } from '../errors.js'
import { Helm, execHelm } from '../deploy/helm.js'
import { resolveHelm } from '../deploy/helm-binary.js'
import { apiErrorCode, apiErrorMessage, loadKubeConfig } from '../kube/client.js'
import type { Logger } from '../log/logger.js'
import { Kubeconfig } from '../providers/existing/kubeconfig.js'
import { MANAGED_BY, PREVIEW_LABELS, PREVIEW_SELECTOR, repoLabel } from './preview.js'
import { entryKey, GatewayRegistry, REGISTRY_LABEL, REGISTRY_NAME } from './registry.js'
import { reconcileGateway } from './shared-gateway.js'

/** One context of the kubeconfig, with a file of its own for Helm (0600, removed by `close`). */
export interface ClusterContext {
  context: string
  kc: KubeConfig
  kubeconfig: string
}

export interface PreviewGroup {
  context: string
  pr: number
  /** the repository label, `owner.repo` */
  repo: string
  namespaces: string[]
  /** unix seconds; absent when the label is missing or not a number */
  expiresAt?: number
}

/** What one reclaim did (or, in a dry run, would do): a preview's namespace, or a whole cloud cluster. */
export interface Reclaim {
  kind: 'namespace' | 'cluster'
  /** the kubeconfig context, or the cloud cluster's name */
  cluster: string
  namespace?: string
  pr?: number
  repo?: string
  reason: string
  deleted: boolean
}

export async function openContexts(kubeconfigPath: string, workDir: string, only?: string[]): Promise<ClusterContext[]> {
  const doc = Kubeconfig.parse(await readFile(kubeconfigPath, 'utf8'), kubeconfigPath)
  const contexts = Kubeconfig.contexts(doc).filter(c => !only?.length || only.includes(c))
  if (only?.length) {
    const missing = only.filter(c => !contexts.includes(c))
    if (missing.length) throw new Error(`${kubeconfigPath} has no context ${missing.map(m => `"${m}"`).join(', ')}; it has ${Kubeconfig.contexts(doc).join(', ') || 'none'}`)
  }
  if (contexts.length === 0) throw new Error(`${kubeconfigPath} has no context to look in`)
  await mkdir(workDir, { recursive: true, mode: 0o700 })
  return Promise.all(
    contexts.map(async (context, i) => {
      const file = join(workDir, `context-${i}.kubeconfig`)
      await writeFile(file, Kubeconfig.stringify(Kubeconfig.minify(doc, context, Kubeconfig.baseDirOf(kubeconfigPath))), { mode: 0o600 })
      return { context, kc: loadKubeConfig(file), kubeconfig: file }
    })
  )
}

export async function closeContexts(contexts: ClusterContext[]): Promise<void> {
  await Promise.all(contexts.map(c => rm(c.kubeconfig, { force: true })))
}

/** Every preview in the cluster: namespaces carrying both the PR label and our managed-by label. */
export async function listPreviews(ctx: ClusterContext): Promise<PreviewGroup[]> {
  const list = await ctx.kc.makeApiClient(CoreV1Api).listNamespace({ labelSelector: PREVIEW_SELECTOR })
  const groups = new Map<string, PreviewGroup>()
  for (const ns of list.items) {
    const labels = ns.metadata?.labels ?? {}
    // a namespace being deleted is already on its way out: reclaimed by an earlier run
    if (labels[PREVIEW_LABELS.managedBy] !== MANAGED_BY || ns.metadata?.deletionTimestamp) continue
    const pr = Number(labels[PREVIEW_LABELS.pr])
    if (!Number.isSafeInteger(pr) || pr < 1) continue
    const repo = labels[PREVIEW_LABELS.repo] ?? 'local'
    const key = `${repo}#${pr}`
    const group = groups.get(key) ?? { context: ctx.context, pr, repo, namespaces: [] }
    group.namespaces.push(ns.metadata!.name!)
    const expires = Number(labels[PREVIEW_LABELS.expiresAt])
    if (Number.isSafeInteger(expires) && expires > 0) group.expiresAt = Math.min(group.expiresAt ?? expires, expires)
    groups.set(key, group)
  }
  return [...groups.values()].sort((a, b) => a.repo.localeCompare(b.repo) || a.pr - b.pr)
}

interface ReclaimOpts {
  log: Logger
  /** resolves Helm the first time a shared controller must be updated */
  helm: () => Promise<Helm>
}

/** Deletes the preview's namespaces and its gateway entries, then brings each gateway level. */
async function reclaimGroup(ctx: ClusterContext, group: PreviewGroup, o: ReclaimOpts): Promise<void> {
  const core = ctx.kc.makeApiClient(CoreV1Api)
  for (const name of group.namespaces) {
    try {
      await core.deleteNamespace({ name, propagationPolicy: 'Background' })
    } catch (e) {
      if (apiErrorCode(e) !== 404) throw new Error(`${ctx.context}: deleting namespace ${name}: ${apiErrorMessage(e)}`, { cause: e })
    }
  }
  await dropRegistryEntry(ctx, entryKey(group.repo, group.pr), o)
}

async function registries(ctx: ClusterContext): Promise<GatewayRegistry[]> {
  const list = await ctx.kc.makeApiClient(CoreV1Api).listConfigMapForAllNamespaces({ labelSelector: `${REGISTRY_LABEL}=gateway` })
  return list.items.filter(cm => cm.metadata?.name === REGISTRY_NAME).map(cm => new GatewayRegistry(ctx.kc, cm.metadata!.namespace!))
}

async function dropRegistryEntry(ctx: ClusterContext, key: string, o: ReclaimOpts): Promise<void> {
  for (const registry of await registries(ctx)) {
    if (!(await registry.remove(key))) continue
    const meta = (await registry.read()).meta
    await reconcileGateway({ kc: ctx.kc, kubeconfig: ctx.kubeconfig, registry, helm: meta?.controller === 'helm' ? await o.helm() : undefined, log: o.log })
  }
}

function lazyHelm(): { get: () => Promise<Helm>; dispose: () => Promise<void> } {
  let helm: Helm | undefined
  return {
    get: async () => (helm ??= new Helm(execHelm(await resolveHelm()))),
    dispose: async () => helm?.dispose()
  }
}

export interface PreviewDownOpts {
  kubeconfig: string
  pr: number
  repo?: string
  /** only these contexts; default every context of the kubeconfig */
  contexts?: string[]
  workDir: string
  log: Logger
}

/** PR closed: removes that PR's preview from every cluster of the kubeconfig. */
export async function previewDown(o: PreviewDownOpts): Promise<Reclaim[]> {
  const repo = repoLabel(o.repo)
  const contexts = await openContexts(o.kubeconfig, o.workDir, o.contexts)
  const helm = lazyHelm()
  const done: Reclaim[] = []
  try {
    for (const ctx of contexts) {
      const groups = (await listPreviews(ctx)).filter(g => g.pr === o.pr && g.repo === repo)
      for (const g of groups) {
        await reclaimGroup(ctx, g, { log: o.log, helm: helm.get })
        for (const namespace of g.namespaces) done.push({ kind: 'namespace', cluster: ctx.context, namespace, pr: g.pr, repo: g.repo, reason: `PR #${o.pr} torn down`, deleted: true })
        o.log.info(`${ctx.context}: PR #${o.pr} preview removed (${g.namespaces.join(', ')})`)
      }
      // a preview whose namespaces are already gone may still hold gateway ports
      if (groups.length === 0) await dropRegistryEntry(ctx, entryKey(repo, o.pr), { log: o.log, helm: helm.get })
    }
    if (done.length === 0) o.log.info(`no preview of PR #${o.pr}${o.repo ? ` of ${o.repo}` : ''} in ${contexts.map(c => c.context).join(', ')}: nothing to remove`)
    return done
  } finally {
    await helm.dispose()
    await closeContexts(contexts)
  }
}

export interface SweepOpts {
  kubeconfig: string
  /** `owner/repo`: its previews are also judged by their PR's state; without it, by expiry alone */
  repo?: string
  /** the PR's state; a reason when it is closed, undefined while it is open */
  closedReason?: (pr: number) => Promise<string | undefined>
  dryRun?: boolean
  contexts?: string[]
  workDir: string
  log: Logger
  now?: () => number
  /** after a preview of `repo` was reclaimed: say so elsewhere too (its GitHub Deployments go inactive) */
  onReclaimed?: (pr: number) => Promise<void>
}

/**
 * Reclaims every preview whose expiry passed or whose PR is closed, in every context, and says
 * each one as a warning: a sweep that reclaims means a teardown path did not run.
 */
export async function sweep(o: SweepOpts): Promise<Reclaim[]> {
  const nowSeconds = Math.floor((o.now ?? Date.now)() / 1000)
  const ours = o.repo ? repoLabel(o.repo) : undefined
  const contexts = await openContexts(o.kubeconfig, o.workDir, o.contexts)
  const helm = lazyHelm()
  const reclaimed: Reclaim[] = []
  const states = new Map<number, Promise<string | undefined>>()
  // a PR's previews span clusters; it is told about once
  const notified = new Set<number>()
  try {
    for (const ctx of contexts) {
      for (const g of await listPreviews(ctx)) {
        let reason: string | undefined
        if (g.expiresAt !== undefined && g.expiresAt <= nowSeconds) reason = `expired at ${new Date(g.expiresAt * 1000).toISOString()}`
        else if (g.repo === ours && o.closedReason) {
          if (!states.has(g.pr)) states.set(g.pr, o.closedReason(g.pr))
          try {
            reason = await states.get(g.pr)
          } catch (e) {
            o.log.warning(`${ctx.context}: PR #${g.pr}'s state could not be read (${errorMessage(e)}); its preview is kept until the next sweep or its expiry`)
          }
        }
        if (!reason) continue
        if (!o.dryRun) {
          try {
            await reclaimGroup(ctx, g, { log: o.log, helm: helm.get })
          } catch (e) {
            o.log.warning(`${ctx.context}: PR #${g.pr} of ${g.repo}: ${reason}, but reclaiming failed: ${errorMessage(e)}`)
            for (const namespace of g.namespaces) reclaimed.push({ kind: 'namespace', cluster: ctx.context, namespace, pr: g.pr, repo: g.repo, reason, deleted: false })
            continue
          }
        }
        for (const namespace of g.namespaces) reclaimed.push({ kind: 'namespace', cluster: ctx.context, namespace, pr: g.pr, repo: g.repo, reason, deleted: !o.dryRun })
        if (!o.dryRun && g.repo === ours && o.onReclaimed && !notified.has(g.pr)) {
          notified.add(g.pr)
          await o.onReclaimed(g.pr).catch(e => o.log.warning(`PR #${g.pr}: reclaimed, but ${errorMessage(e)}`))
        }
        o.log.warning(`${ctx.context}: ${o.dryRun ? 'would reclaim' : 'reclaimed'} the preview of PR #${g.pr} of ${g.repo} (${g.namespaces.join(', ')}): ${reason}; its teardown did not run`)
      }
    }
    // gateway ports of previews whose namespaces went some other way (deleted by hand, a crash mid-reclaim)
    if (!o.dryRun) {
      for (const ctx of contexts) {
        for (const registry of await registries(ctx)) {
          for (const [key, entry] of (await registry.read()).entries) {
            if (entry.expiresAt > nowSeconds) continue
            await dropRegistryEntry(ctx, key, { log: o.log, helm: helm.get })
            o.log.info(`${ctx.context}: released the gateway ports of ${key} in ${registry.namespace} (expired)`)
          }
        }
      }
    }
    if (reclaimed.length === 0) o.log.info(`sweep: nothing to reclaim in ${contexts.map(c => c.context).join(', ')}`)
    return reclaimed
  } finally {
    await helm.dispose()
    await closeContexts(contexts)
  }
}

/** What the sweeper needs of a cloud provider: its clusters past their baf-ttl tag, and their deletion. */
export interface ExpiringClusters {
  readonly name: string
  findExpired(nowMs?: number): Promise<{ cloudName: string; expiresAt: number }[]>
  deleteExpired(log: Logger, nowMs?: number): Promise<string[]>
}

/**
 * Cloud clusters (eks, aks, gke) a run created and its post step could not delete: those whose
 * baf-ttl tag has passed go, each with a warning, as previews do.
 */
export async function sweepClouds(providers: ExpiringClusters[], o: { dryRun?: boolean; log: Logger; now?: () => number }): Promise<Reclaim[]> {
  const nowMs = (o.now ?? Date.now)()
  const reclaimed: Reclaim[] = []
  for (const p of providers) {
    const expired = await p.findExpired(nowMs)
    let deleted = new Set<string>()
    let failure: string | undefined
    if (!o.dryRun && expired.length > 0) {
      try {
        deleted = new Set(await p.deleteExpired(o.log, nowMs))
      } catch (e) {
        failure = errorMessage(e)
        // some may have gone before the failure: whatever is no longer listed was deleted
        const left = new Set((await p.findExpired(nowMs).catch(() => expired)).map(c => c.cloudName))
        deleted = new Set(expired.map(c => c.cloudName).filter(n => !left.has(n)))
      }
    }
    for (const c of expired) {
      const reason = `${p.name} cluster expired at ${new Date(c.expiresAt * 1000).toISOString()} (baf-ttl tag)`
      reclaimed.push({ kind: 'cluster', cluster: c.cloudName, reason, deleted: deleted.has(c.cloudName) })
      o.log.warning(`${p.name}: ${o.dryRun ? 'would delete' : deleted.has(c.cloudName) ? 'deleted' : 'could not delete'} cluster ${c.cloudName}: ${reason}; the run that made it did not delete it${failure && !deleted.has(c.cloudName) ? ` (${failure})` : ''}`)
    }
  }
  return reclaimed
}
