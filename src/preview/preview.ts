// A PR preview: the same network, moved aside so that several PRs share long-lived clusters and
// their gateway controllers. Each organisation gets its own namespace `<namespace>-pr<N>`, host
// names carry the PR (`<node>.pr<N>.<suffix>`), and TCP gateway ports move by a per-cluster
// offset that no other preview on that cluster holds. Pure functions: the offsets come from the
// gateway registry (registry.ts), which is the only part that reads a cluster.

import type { Network, Organization } from '../model/network.js'
import { buildPlan } from '../plan/plan.js'
import type { Plan } from '../plan/types.js'

/** Labels on every namespace a preview creates; the sweeper selects by them and by nothing else. */
export const PREVIEW_LABELS = {
  pr: 'baf-action/pr',
  repo: 'baf-action/repo',
  sha: 'baf-action/sha',
  expiresAt: 'baf-action/expires-at',
  managedBy: 'app.kubernetes.io/managed-by'
} as const

export const MANAGED_BY = 'baf-action'

/** The selector of preview namespaces: both labels, so a namespace someone else labelled `pr` is never ours. */
export const PREVIEW_SELECTOR = `${PREVIEW_LABELS.pr},${PREVIEW_LABELS.managedBy}=${MANAGED_BY}`

export interface PreviewTarget {
  pr: number
  /** `owner/repo`; absent on a laptop */
  repo?: string
  /** the commit the preview runs */
  sha?: string
  /** seconds from the deploy until the sweeper may reclaim it (each push renews it) */
  ttlSeconds: number
}

export function checkPr(value: string | number, what = 'pr'): number {
  const text = String(value).trim()
  if (!/^[1-9]\d{0,9}$/.test(text)) throw new Error(`${what} must be a pull request number such as 42 (got "${text}")`)
  return Number(text)
}

/** `owner/repo` as a label value (labels allow no `/`): `owner.repo` */
export function repoLabel(repo: string | undefined, what = 'repository'): string {
  if (!repo) return 'local'
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repo)) throw new Error(`${what} must be OWNER/REPO (got "${repo}")`)
  return repo.replace('/', '.').slice(0, 63).replace(/[^A-Za-z0-9]+$/, '')
}

const DURATION = /^(\d+)\s*([smhd]?)$/
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, '': 3600 }

/** `90m`, `6h`, `7d`, `3600s`; a bare number is hours, as the actions' ttl-hours input */
export function parseDuration(text: string, what = 'ttl'): number {
  const m = DURATION.exec(text.trim())
  const seconds = m ? Number(m[1]) * UNIT_SECONDS[m[2]] : NaN
  if (!Number.isSafeInteger(seconds) || seconds < 60 || seconds > 366 * 86_400) {
    throw new Error(`${what} must be a duration between 1m and 366d such as 90m, 6h or 7d (got "${text}")`)
  }
  return seconds
}

export function previewLabels(t: PreviewTarget, nowMs: number): Record<string, string> {
  return {
    [PREVIEW_LABELS.pr]: String(t.pr),
    [PREVIEW_LABELS.repo]: repoLabel(t.repo),
    ...(t.sha ? { [PREVIEW_LABELS.sha]: t.sha.slice(0, 12) } : {}),
    [PREVIEW_LABELS.expiresAt]: String(Math.floor(nowMs / 1000) + t.ttlSeconds),
    [PREVIEW_LABELS.managedBy]: MANAGED_BY
  }
}

export function previewNamespace(namespace: string, pr: number): string {
  const name = `${namespace}-pr${pr}`
  if (name.length > 63) throw new Error(`namespace ${name} of the preview is longer than Kubernetes' 63 characters; shorten the organisation's name`)
  return name
}

/** Gateway ports per cluster in the network's own (non-preview) plan: what an offset moves. */
export function tcpPortsByCluster(plan: Plan): Map<string, number[]> {
  return new Map(plan.clusters.map(c => [c.name, [...new Set(c.gateway.listeners.filter(l => l.protocol === 'tcp').map(l => l.port))].sort((a, b) => a - b)]))
}

/**
 * The network as PR `pr` deploys it: namespaces and host names carry the PR, and each TCP port
 * on the gateway of cluster C moves by `offsets[C]`. Every external TCP port is pinned, so the
 * plan of the preview is exactly the base plan shifted.
 */
export function previewNetwork(net: Network, base: Plan, pr: number, offsets: Record<string, number>): Network {
  const gatewayPort = new Map(base.endpoints.map(e => [`${e.org}/${e.node}/${e.name}`, e.port]))
  const organizations: Organization[] = net.organizations.map(org => {
    const namespace = previewNamespace(org.namespace, pr)
    const offset = offsets[org.cluster] ?? 0
    return {
      ...org,
      namespace,
      externalUrlSuffix: net.proxy === 'none' ? `${namespace}.svc.cluster.local` : `pr${pr}.${org.externalUrlSuffix}`,
      nodes: org.nodes.map(node => ({
        ...node,
        ports: node.ports.map(p => {
          const planned = gatewayPort.get(`${org.name}/${node.name}/${p.name}`)
          const tcp = p.protocol === 'tcp' && p.external && net.proxy !== 'none' && planned !== undefined
          return tcp ? { ...p, published: planned + offset } : p
        })
      }))
    }
  })
  return { ...net, organizations }
}

/**
 * The plan of the preview. Cross-cluster DNS stays on the network's own suffixes: `*.pr<N>.<suffix>`
 * falls under `*.<suffix>`, so every preview leaves the same Corefile and none undoes another's.
 */
export function previewPlan(net: Network, base: Plan, pr: number, offsets: Record<string, number>): { network: Network; plan: Plan } {
  const network = previewNetwork(net, base, pr, offsets)
  const plan = buildPlan(network)
  for (const c of plan.clusters) c.dnsSuffixes = base.clusters.find(b => b.name === c.name)?.dnsSuffixes ?? c.dnsSuffixes
  return { network, plan }
}
