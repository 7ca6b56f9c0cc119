// State -> Report: the one data model that the Markdown, the Mermaid diagram, the HTML page and
// report.json are all drawn from. Pure and deterministic: the same state gives the same report,
// so an unchanged network leaves the sticky comment alone. It works on whatever part of the state
// exists and records what is missing instead of inventing it.

import { PROBE_LAYERS } from '../probe/types.js'
import { Redactor } from './redact.js'

import type { ProbeLayer, ProbeResult, ProbeSpec } from '../probe/types.js'
import type { ReleaseStatus, State } from '../state/state.js'
import type { RedactOpts } from './redact.js'

export const REPORT_VERSION = 1

/** the matrix row for probes that ran on the Actions runner rather than inside a cluster */
export const RUNNER = 'runner'
/** the matrix column for probe targets outside every planned cluster */
export const EXTERNAL = 'external'

export type VerdictStatus = 'pass' | 'fail' | 'incomplete'

export interface Verdict {
  status: VerdictStatus
  /** one line, no Markdown: "3 of 41 checks failed (3 required) · 3 clusters · besu 23.10.2" */
  headline: string
}

/** how a probe counts in the report: an expected denial that was refused is `denied` */
export type CheckOutcome = 'pass' | 'denied' | 'fail' | 'inconclusive' | 'skipped' | 'planned'

export interface ReportNode {
  name: string
  org: string
  cluster: string
  /** the node's release status, when the network phase recorded it */
  release?: ReleaseStatus['status']
  /** endpoint names the gateway publishes for this node: p2p, rpc, ... */
  endpoints: string[]
  /** a required check against this node failed */
  unreachable: boolean
}

export interface ReportCluster {
  name: string
  provider?: string
  kubernetesVersion?: string
  gateway: { kind: string; listeners: number }
  organizations: { name: string; nodes: ReportNode[] }[]
  releases: { total: number; deployed: number; failed: number; pending: number; skipped: number }
  /** what this cluster cannot do, from the provider (sim: no containers, no traffic) */
  limitations: string[]
}

export interface MatrixCell {
  from: string
  to: string
  total: number
  passed: number
  /** expected denials that were refused (counted in `passed` too) */
  denied: number
  failed: number
  inconclusive: number
  skipped: number
  /** planned but not run: the probe phase has not happened */
  planned: number
  failedLayers: ProbeLayer[]
  /** median time of the passing allowed probes */
  p50Ms?: number
  status: CheckOutcome | 'none'
}

export interface Matrix {
  rows: string[]
  cols: string[]
  cells: MatrixCell[]
}

export interface LayerRow {
  layer: ProbeLayer
  status: 'pass' | 'fail' | 'skip' | 'inconclusive' | 'not-run'
  ms?: number
  detail?: string
  hint?: string
}

export interface Failure {
  kind: 'phase' | 'release' | 'probe'
  outcome: 'fail' | 'inconclusive'
  /** one line: `store-cluster → rpc.example:80` or `release operator/ns/name` */
  title: string
  from?: string
  to?: string
  target?: string
  layer?: ProbeLayer
  required: boolean
  expect?: 'allow' | 'deny'
  reason?: string
  detail?: string
  hint?: string
  attempts?: number
  ms?: number
  layers?: LayerRow[]
}

/** one cross-cluster line of the diagram: probes from a cluster to another cluster's gateway or node */
export interface Edge {
  from: string
  to: string
  /** a node name when the edge points at one node (failures), else the target's gateway */
  node?: string
  outcome: Exclude<CheckOutcome, 'planned'> | 'planned'
  count: number
  total: number
  layer?: ProbeLayer
}

export interface Report {
  version: typeof REPORT_VERSION
  verdict: Verdict
  network: { file: string; platform: string; platformVersion: string; consensus?: string; proxy: string; provider: string }
  /** what the state does not hold yet, in words */
  missing: string[]
  counts: {
    clusters: number
    organizations: number
    nodes: number
    releases?: { total: number; deployed: number; failed: number; pending: number; skipped: number }
    checks?: { total: number; passed: number; denied: number; failed: number; requiredFailed: number; inconclusive: number; skipped: number }
    planned: number
  }
  clusters: ReportCluster[]
  matrix: Matrix
  edges: Edge[]
  failures: Failure[]
  timings: { phase: string; outcome: string; seconds: number; detail?: string }[]
  /** wall time from the first phase's start to the last phase's end */
  wallSeconds?: number
  versions: { name: string; version: string }[]
  probes?: { runner: string; startedAt: string; finishedAt: string }
}

export interface BuildReportOpts extends RedactOpts {}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

export function checkOutcome(r: ProbeResult): Exclude<CheckOutcome, 'planned'> {
  if (r.outcome === 'pass') return r.spec.expect === 'deny' ? 'denied' : 'pass'
  if (r.outcome === 'fail') return 'fail'
  if (r.outcome === 'inconclusive') return 'inconclusive'
  return 'skipped'
}

function firstFailedLayer(r: ProbeResult): ProbeLayer | undefined {
  return r.failedLayer ?? r.layers.find(l => l.status !== 'pass' && l.status !== 'skip')?.layer
}

/** which matrix column a probe target belongs to */
function targetCluster(spec: ProbeSpec, clusterNames: Set<string>, suffixes: [string, string][]): string {
  if (spec.target.cluster && clusterNames.has(spec.target.cluster)) return spec.target.cluster
  const host = spec.target.host.toLowerCase()
  for (const [suffix, cluster] of suffixes) if (host === suffix || host.endsWith(`.${suffix}`)) return cluster
  return EXTERNAL
}

export function buildReport(state: State, opts: BuildReportOpts = {}): Report {
  const r = new Redactor(opts)
  const plan = state.plan
  const clusterNames = new Set(plan.clusters.map(c => c.name))
  const suffixes: [string, string][] = plan.clusters.flatMap(c => c.dnsSuffixes.map(s => [s.toLowerCase(), c.name] as [string, string])).sort((a, b) => b[0].length - a[0].length)
  const provisioned = new Map(state.clusters.map(c => [c.name, c]))
  const releaseStatus = new Map((state.releases ?? []).map(rel => [rel.id, rel]))
  const results = state.probes?.results ?? []

  // nodes: from the node releases (every node has one) and the published endpoints
  const nodes = new Map<string, ReportNode>()
  const nodeKey = (cluster: string, name: string): string => `${cluster}\u0000${name}`
  for (const rel of plan.releases) {
    if (rel.kind !== 'node' || !rel.node) continue
    const key = nodeKey(rel.cluster, rel.node)
    if (!nodes.has(key)) nodes.set(key, { name: rel.node, org: rel.org ?? rel.namespace, cluster: rel.cluster, endpoints: [], unreachable: false })
    const status = releaseStatus.get(rel.id)?.status
    if (status) nodes.get(key)!.release = status
  }
  for (const e of plan.endpoints) {
    const key = nodeKey(e.cluster, e.node)
    if (!nodes.has(key)) nodes.set(key, { name: e.node, org: e.org, cluster: e.cluster, endpoints: [], unreachable: false })
    const node = nodes.get(key)!
    if (!node.endpoints.includes(e.name)) node.endpoints.push(e.name)
  }
  for (const res of results) {
    const t = res.spec.target
    if (res.outcome === 'fail' && res.spec.required && t.node && t.cluster) {
      const node = nodes.get(nodeKey(t.cluster, t.node))
      if (node) node.unreachable = true
    }
  }

  const clusters: ReportCluster[] = plan.clusters.map(pc => {
    const own = [...nodes.values()].filter(n => n.cluster === pc.name)
    const orgNames = [...new Set([...pc.organizations, ...own.map(n => n.org)])]
    const rels = plan.releases.filter(rel => rel.cluster === pc.name).map(rel => releaseStatus.get(rel.id)?.status)
    const p = provisioned.get(pc.name)
    return {
      name: pc.name,
      provider: p?.provider,
      kubernetesVersion: p?.kubernetesVersion ?? pc.kubernetesVersion,
      gateway: { kind: pc.gateway.kind, listeners: pc.gateway.listeners.length },
      organizations: orgNames.map(name => ({ name, nodes: own.filter(n => n.org === name) })),
      releases: {
        total: rels.length,
        deployed: rels.filter(s => s === 'deployed').length,
        failed: rels.filter(s => s === 'failed').length,
        pending: rels.filter(s => s === 'pending').length,
        skipped: rels.filter(s => s === 'skipped').length
      },
      limitations: (p?.limitations ?? []).map(l => r.line(l)!)
    }
  })

  // the matrix: probe results when the probe phase ran, else the plan's probes as "planned"
  const rows = [...plan.clusters.map(c => c.name)]
  const cols = [...plan.clusters.map(c => c.name)]
  const cellMap = new Map<string, MatrixCell>()
  const times = new Map<string, number[]>()
  const cell = (from: string, to: string): MatrixCell => {
    if (!rows.includes(from)) rows.push(from)
    if (!cols.includes(to)) cols.push(to)
    const key = `${from}\u0000${to}`
    let c = cellMap.get(key)
    if (!c) {
      c = { from, to, total: 0, passed: 0, denied: 0, failed: 0, inconclusive: 0, skipped: 0, planned: 0, failedLayers: [], status: 'none' }
      cellMap.set(key, c)
    }
    return c
  }
  // probes from the Actions runner get their own row, named like any other source
  const sourceOf = (spec: ProbeSpec): string => spec.from
  if (state.probes) {
    for (const res of results) {
      const c = cell(sourceOf(res.spec), targetCluster(res.spec, clusterNames, suffixes))
      c.total++
      const o = checkOutcome(res)
      if (o === 'pass' || o === 'denied') c.passed++
      if (o === 'denied') c.denied++
      if (o === 'fail') {
        c.failed++
        const layer = firstFailedLayer(res)
        if (layer && !c.failedLayers.includes(layer)) c.failedLayers.push(layer)
      }
      if (o === 'inconclusive') c.inconclusive++
      if (o === 'skipped') c.skipped++
      if (o === 'pass') {
        const key = `${c.from}\u0000${c.to}`
        const list = times.get(key)
        if (list) list.push(res.ms)
        else times.set(key, [res.ms])
      }
    }
  } else {
    for (const spec of plan.probes) {
      const c = cell(sourceOf(spec), targetCluster(spec, clusterNames, suffixes))
      c.total++
      c.planned++
    }
  }
  for (const c of cellMap.values()) {
    c.failedLayers.sort((a, b) => PROBE_LAYERS.indexOf(a) - PROBE_LAYERS.indexOf(b))
    c.p50Ms = median(times.get(`${c.from}\u0000${c.to}`) ?? [])
    c.status = c.failed > 0 ? 'fail' : c.inconclusive > 0 ? 'inconclusive' : c.planned > 0 ? 'planned' : c.passed > 0 ? (c.denied === c.passed ? 'denied' : 'pass') : c.skipped > 0 ? 'skipped' : 'none'
  }
  // the runner and external targets were appended after the planned clusters
  const matrix: Matrix = { rows, cols, cells: [...cellMap.values()] }

  const edges = buildEdges(state, clusterNames, suffixes)
  const failures = buildFailures(state, r)

  const checks = state.probes
    ? {
        total: results.length,
        passed: results.filter(x => checkOutcome(x) === 'pass').length,
        denied: results.filter(x => checkOutcome(x) === 'denied').length,
        failed: results.filter(x => x.outcome === 'fail').length,
        requiredFailed: results.filter(x => x.outcome === 'fail' && x.spec.required).length,
        inconclusive: results.filter(x => x.outcome === 'inconclusive').length,
        skipped: results.filter(x => x.outcome === 'skipped').length
      }
    : undefined
  const releases = state.releases
    ? {
        total: plan.releases.length,
        deployed: clusters.reduce((n, c) => n + c.releases.deployed, 0),
        failed: (state.releases ?? []).filter(x => x.status === 'failed').length,
        pending: clusters.reduce((n, c) => n + c.releases.pending, 0),
        skipped: clusters.reduce((n, c) => n + c.releases.skipped, 0)
      }
    : undefined

  const missing: string[] = []
  const torn = state.clusters.length === 0 && state.timings.some(t => /tear ?down/i.test(t.phase))
  if (state.clusters.length === 0) missing.push(torn ? 'the clusters were removed (torn down); their details are not in the state any more' : 'no cluster was provisioned yet')
  if (!state.releases) missing.push('no deployment results: the network phase has not recorded any release')
  if (!state.probes) missing.push(`not probed yet: ${plan.probes.length} probe(s) are planned (the matrix shows planned counts)`)
  if (!state.versions || Object.keys(state.versions).length === 0) missing.push('no tool, chart or image versions recorded')

  const timings = state.timings.map(t => ({ phase: r.line(t.phase, 120)!, outcome: t.outcome, seconds: t.seconds, detail: r.line(t.detail) }))
  let wallSeconds: number | undefined
  if (state.timings.length > 0) {
    const start = Math.min(...state.timings.map(t => Date.parse(t.startedAt)))
    const end = Math.max(...state.timings.map(t => Date.parse(t.startedAt) + t.seconds * 1000))
    if (Number.isFinite(start) && Number.isFinite(end)) wallSeconds = Math.round(end - start) / 1000
  }
  const versions = Object.entries(state.versions ?? {})
    .map(([name, version]) => ({ name: r.line(name, 80)!, version: r.line(String(version), 80)! }))
    .sort((a, b) => a.name.localeCompare(b.name))
  versions.unshift({ name: plan.network.platform, version: plan.network.platformVersion })

  const network = {
    file: plan.network.file,
    platform: plan.network.platform,
    platformVersion: plan.network.platformVersion,
    consensus: plan.network.consensus,
    proxy: plan.network.proxy,
    provider: state.provider
  }
  const counts = {
    clusters: plan.clusters.length,
    organizations: clusters.reduce((n, c) => n + c.organizations.length, 0),
    nodes: nodes.size,
    releases,
    checks,
    planned: plan.probes.length
  }
  return {
    version: REPORT_VERSION,
    verdict: verdictOf(state, counts, failures),
    network,
    missing,
    counts,
    clusters,
    matrix,
    edges,
    failures,
    timings,
    wallSeconds,
    versions: dedupeVersions(versions),
    probes: state.probes ? { runner: state.probes.runner, startedAt: state.probes.startedAt, finishedAt: state.probes.finishedAt } : undefined
  }
}

function dedupeVersions(vs: { name: string; version: string }[]): { name: string; version: string }[] {
  const seen = new Set<string>()
  return vs.filter(v => (seen.has(v.name) ? false : (seen.add(v.name), true)))
}

function buildEdges(state: State, clusterNames: Set<string>, suffixes: [string, string][]): Edge[] {
  const edges = new Map<string, Edge>()
  const add = (e: Omit<Edge, 'count' | 'total'>, total: number): void => {
    const key = `${e.from}\u0000${e.to}\u0000${e.node ?? ''}\u0000${e.outcome}\u0000${e.layer ?? ''}`
    const have = edges.get(key)
    if (have) {
      have.count++
      have.total = total
    } else edges.set(key, { ...e, count: 1, total })
  }
  if (!state.probes) {
    const totals = new Map<string, number>()
    for (const spec of state.plan.probes) {
      const to = targetCluster(spec, clusterNames, suffixes)
      totals.set(`${spec.from}\u0000${to}`, (totals.get(`${spec.from}\u0000${to}`) ?? 0) + 1)
    }
    for (const [key, total] of totals) {
      const [from, to] = key.split('\u0000')
      if (from !== to) edges.set(key, { from, to, outcome: 'planned', count: total, total })
    }
    return [...edges.values()]
  }
  const pairTotals = new Map<string, number>()
  const pairOf = (res: ProbeResult): [string, string] => [res.spec.from, targetCluster(res.spec, clusterNames, suffixes)]
  for (const res of state.probes.results) {
    const [from, to] = pairOf(res)
    pairTotals.set(`${from}\u0000${to}`, (pairTotals.get(`${from}\u0000${to}`) ?? 0) + 1)
  }
  for (const res of state.probes.results) {
    const [from, to] = pairOf(res)
    if (from === to) continue
    const total = pairTotals.get(`${from}\u0000${to}`)!
    const outcome = checkOutcome(res)
    if (outcome === 'fail') add({ from, to, node: res.spec.target.node, outcome, layer: firstFailedLayer(res) }, total)
    else add({ from, to, outcome }, total)
  }
  return [...edges.values()]
}

const OUTCOME_ORDER: Record<string, number> = { phase: 0, release: 1, probe: 2 }

function buildFailures(state: State, r: Redactor): Failure[] {
  const out: Failure[] = []
  for (const t of state.timings) {
    if (t.outcome !== 'failed') continue
    out.push({ kind: 'phase', outcome: 'fail', title: `phase "${r.line(t.phase, 120)}" failed`, required: true, detail: r.line(t.detail, 600) })
  }
  for (const rel of state.releases ?? []) {
    if (rel.status !== 'failed') continue
    const planned = state.plan.releases.find(p => p.id === rel.id)
    out.push({
      kind: 'release',
      outcome: 'fail',
      title: `release ${rel.id} failed`,
      to: planned?.cluster,
      target: rel.id,
      required: true,
      reason: rel.chart ? `chart ${r.line(rel.chart, 120)}` : undefined,
      detail: r.line(rel.detail, 600),
      hint: planned ? `look at the release's pods and events: kubectl -n ${planned.namespace} get pods,events --sort-by=.lastTimestamp (cluster ${planned.cluster}); the diagnostics artifact has them too` : undefined,
      ms: rel.seconds !== undefined ? Math.round(rel.seconds * 1000) : undefined
    })
  }
  const probeFailures = (state.probes?.results ?? []).filter(x => x.outcome === 'fail' || x.outcome === 'inconclusive')
  // required failures first, then optional ones, then inconclusive; stable within each group
  const rank = (x: ProbeResult): number => (x.outcome === 'fail' ? (x.spec.required ? 0 : 1) : 2)
  for (const res of [...probeFailures].sort((a, b) => rank(a) - rank(b))) {
    const layer = firstFailedLayer(res)
    const failed = res.layers.find(l => l.layer === layer)
    const ran = new Map(res.layers.map(l => [l.layer, l]))
    const layers: LayerRow[] = res.spec.layers.map(name => {
      const l = ran.get(name)
      return l ? { layer: name, status: l.status, ms: l.ms, detail: r.line(l.detail), hint: r.line(l.hint) } : { layer: name, status: 'not-run' }
    })
    const target = `${res.spec.target.host}:${res.spec.target.port}`
    const denyBroken = res.outcome === 'fail' && res.spec.expect === 'deny'
    out.push({
      kind: 'probe',
      outcome: res.outcome === 'fail' ? 'fail' : 'inconclusive',
      title: `${res.spec.from} → ${target}`,
      from: res.spec.from,
      to: res.spec.target.cluster,
      target,
      layer,
      required: res.spec.required,
      expect: res.spec.expect,
      reason: r.line(res.spec.reason),
      detail: r.line(failed?.detail),
      hint: r.line(failed?.hint) ?? (denyBroken ? 'this path must be refused but it answered: close the port or remove the route on the gateway' : undefined),
      attempts: res.attempts,
      ms: res.ms,
      layers
    })
  }
  return out.sort((a, b) => OUTCOME_ORDER[a.kind] - OUTCOME_ORDER[b.kind])
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function verdictOf(state: State, counts: Report['counts'], failures: Failure[]): Verdict {
  const net = state.plan.network
  const about = `${net.platform} ${net.platformVersion}${net.consensus ? ` (${net.consensus})` : ''} on ${plural(counts.clusters, 'cluster')}`
  const failedPhases = failures.filter(f => f.kind === 'phase').length
  const failedReleases = counts.releases?.failed ?? 0
  const checks = counts.checks
  const parts: string[] = []
  if (checks && checks.failed > 0) parts.push(`${checks.failed} of ${checks.total} checks failed${checks.requiredFailed !== checks.failed ? ` (${checks.requiredFailed} required)` : ''}`)
  if (failedReleases > 0) parts.push(`${failedReleases} of ${counts.releases!.total} releases failed`)
  if (failedPhases > 0) parts.push(`${plural(failedPhases, 'phase')} failed`)
  const fail = failedPhases > 0 || failedReleases > 0 || (checks !== undefined && checks.requiredFailed > 0) || state.probes?.verdict === 'fail'
  if (fail) {
    if (parts.length === 0) parts.push('the probe run reported a failure')
    return { status: 'fail', headline: `${parts.join(' · ')} · ${about}` }
  }
  // nothing was actually checked (sim runs no containers): deployed, but not a pass
  if (checks && checks.passed + checks.denied === 0 && checks.skipped === checks.total) {
    const reason = state.probes?.results.find(r => r.outcome === 'skipped')?.message ?? 'every probe was skipped'
    return { status: 'incomplete', headline: `deployed (${counts.releases?.deployed ?? 0}/${counts.releases?.total ?? 0} releases); ${checks.total} checks skipped: ${reason} · ${about}` }
  }
  if (checks) {
    const extra = [checks.denied > 0 ? `${checks.denied} refused as expected` : '', checks.failed > 0 ? `${checks.failed} optional failed` : '', checks.inconclusive > 0 ? `${checks.inconclusive} inconclusive` : '', checks.skipped > 0 ? `${checks.skipped} skipped` : '']
      .filter(Boolean)
      .join(', ')
    return { status: 'pass', headline: `${checks.passed + checks.denied}/${checks.total} checks passed${extra ? ` (${extra})` : ''} · ${about}` }
  }
  const stage = counts.releases ? `deployed (${counts.releases.deployed}/${counts.releases.total} releases), not probed yet` : state.clusters.length > 0 ? `${plural(state.clusters.length, 'cluster')} provisioned, network not deployed yet, not probed yet` : 'planned; nothing deployed or probed yet'
  return { status: 'incomplete', headline: `${stage} · ${about}` }
}
