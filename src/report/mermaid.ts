// Report -> Mermaid flowchart: clusters as subgraphs holding their gateway and organisations
// with their nodes; cross-cluster edges labelled and styled by probe outcome. GitHub renders the
// same text in comments and job summaries, so it keeps to syntax every Mermaid since 9.x parses
// (linkStyle by index, classDef, quoted labels) and stays under Mermaid's default limits
// (50,000 characters, 500 edges), switching to a compact cluster-only form when it would not or
// when it has more nodes than a person can read (the HTML page then draws both).

import { EXTERNAL, RUNNER } from './model.js'

import type { Edge, Report, ReportCluster, ReportNode } from './model.js'

/** Mermaid's default `maxTextSize`; GitHub keeps it */
export const MERMAID_MAX_TEXT = 50_000
/** Mermaid's default `maxEdges` */
export const MERMAID_MAX_EDGES = 500

/** past this many nodes a full diagram is too dense to read in a comment: one box per cluster */
export const FULL_DIAGRAM_MAX_NODES = 80

export type DiagramForm = 'full' | 'compact'

export interface DiagramOpts {
  /** `compact` draws one box per cluster; the default picks `full` up to FULL_DIAGRAM_MAX_NODES nodes within Mermaid's limits */
  form?: DiagramForm
}

export interface Diagram {
  form: DiagramForm
  text: string
  nodes: number
  edges: number
}

const CLASS_DEFS = [
  'classDef deployed fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
  'classDef failed fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#1f2328',
  'classDef pending fill:#fff8c5,stroke:#9a6700,color:#1f2328',
  'classDef unknown fill:#f6f8fa,stroke:#8c959f,color:#1f2328',
  'classDef unreachable fill:#ffebe9,stroke:#cf222e,stroke-width:3px,stroke-dasharray:5 3,color:#1f2328',
  'classDef gateway fill:#ddf4ff,stroke:#0969da,color:#1f2328',
  'classDef outside fill:#ffffff,stroke:#57606a,color:#1f2328'
]

const EDGE_STYLE: Record<Edge['outcome'] | 'route', string> = {
  pass: 'stroke:#1a7f37,stroke-width:2px',
  denied: 'stroke:#8c959f,stroke-width:1.5px',
  fail: 'stroke:#cf222e,stroke-width:3px',
  inconclusive: 'stroke:#9a6700,stroke-width:2px',
  skipped: 'stroke:#8c959f,stroke-width:1px',
  planned: 'stroke:#8c959f,stroke-width:1px',
  route: 'stroke:#afb8c1,stroke-width:1px'
}

const ARROW: Record<Edge['outcome'], string> = { pass: '-->', denied: '-.->', fail: '==>', inconclusive: '-.->', skipped: '-.->', planned: '-.->' }

/** Mermaid label text: quoted, with the characters that end a label written as entity codes */
export function label(text: string): string {
  const escaped = text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/[\r\n]+/g, ' ')
  return `"${escaped}"`
}

function nodeClass(n: ReportNode): string {
  if (n.unreachable) return 'unreachable'
  if (n.release === 'deployed') return 'deployed'
  if (n.release === 'failed') return 'failed'
  if (n.release === 'pending') return 'pending'
  return 'unknown'
}

class Builder {
  readonly lines: string[] = ['flowchart LR']
  private readonly linkStyles = new Map<keyof typeof EDGE_STYLE, number[]>()
  private links = 0

  link(from: string, arrow: string, to: string, style: keyof typeof EDGE_STYLE, text?: string): void {
    this.lines.push(`  ${from} ${arrow}${text ? `|${label(text)}|` : ''} ${to}`)
    this.linkStyles.set(style, [...(this.linkStyles.get(style) ?? []), this.links++])
  }

  get edgeCount(): number {
    return this.links
  }

  finish(): string {
    for (const [style, indices] of this.linkStyles) this.lines.push(`  linkStyle ${indices.join(',')} ${EDGE_STYLE[style]}`)
    return this.lines.join('\n') + '\n'
  }
}

/**
 * The cross-cluster lines: one per cluster pair summing what did not fail (passed, refused as
 * expected, inconclusive, skipped, planned), plus one red line per failing node and layer, so a
 * failure points at what broke. Failures collapse per pair when there are too many to draw.
 */
interface Line {
  from: string
  to: string
  node?: string
  style: Edge['outcome']
  text: string
}

const SUMMARY_ORDER: Edge['outcome'][] = ['pass', 'denied', 'inconclusive', 'skipped', 'planned']
const SUMMARY_TEXT: Record<string, (n: number) => string> = {
  pass: n => `✅ ${n} passed`,
  denied: n => `🚫 ${n} refused`,
  inconclusive: n => `⚠️ ${n} inconclusive`,
  skipped: n => `⏭ ${n} skipped`,
  planned: n => `${n} planned`
}

function crossLines(edges: Edge[], maxFailureLines: number, collapseFailures: boolean): Line[] {
  const pairs = new Map<string, Map<Edge['outcome'], number>>()
  const failures = new Map<string, Edge>()
  const failureCount = edges.filter(e => e.outcome === 'fail').length
  const collapse = collapseFailures || failureCount > maxFailureLines
  for (const e of edges) {
    const pair = `${e.from}\u0000${e.to}`
    if (e.outcome !== 'fail') {
      const counts = pairs.get(pair) ?? new Map()
      counts.set(e.outcome, (counts.get(e.outcome) ?? 0) + e.count)
      pairs.set(pair, counts)
      continue
    }
    const key = collapse ? pair : `${pair}\u0000${e.node ?? ''}\u0000${e.layer ?? ''}`
    const have = failures.get(key)
    if (have) {
      have.count += e.count
      if (have.layer !== e.layer) have.layer = undefined
    } else failures.set(key, { ...e, node: collapse ? undefined : e.node })
  }
  const lines: Line[] = []
  for (const [pair, counts] of pairs) {
    const [from, to] = pair.split('\u0000')
    const present = SUMMARY_ORDER.filter(o => counts.has(o))
    const style: Edge['outcome'] = counts.has('inconclusive') ? 'inconclusive' : counts.has('pass') ? 'pass' : present[0]
    lines.push({ from, to, style, text: present.map(o => SUMMARY_TEXT[o](counts.get(o)!)).join(' · ') })
  }
  for (const e of failures.values()) {
    const text = e.layer ? `❌ ${e.count > 1 ? `${e.count}× ` : ''}${e.layer}` : `❌ ${e.count} failed`
    lines.push({ from: e.from, to: e.to, node: e.node, style: 'fail', text })
  }
  return lines
}

function outsideNodes(report: Report, b: Builder): Map<string, string> {
  const ids = new Map<string, string>()
  const clusters = new Set(report.clusters.map(c => c.name))
  const extra = [...new Set(report.edges.flatMap(e => [e.from, e.to]))].filter(n => !clusters.has(n))
  extra.forEach((name, i) => {
    const id = `x${i}`
    ids.set(name, id)
    const text = name === RUNNER ? 'Actions runner' : name === EXTERNAL ? 'hosts outside the clusters' : `${name} (not a planned cluster)`
    b.lines.push(`  ${id}([${label(text)}]):::outside`)
  })
  return ids
}

function clusterTitle(c: ReportCluster): string {
  return [c.name, c.provider, c.kubernetesVersion].filter(Boolean).join(' · ')
}

export function renderDiagram(report: Report, opts: DiagramOpts = {}): Diagram {
  if (opts.form === 'compact') return compact(report)
  if (opts.form !== 'full' && report.counts.nodes > FULL_DIAGRAM_MAX_NODES) return compact(report)
  const full = renderFull(report)
  if (opts.form === 'full') return full
  return full.text.length <= MERMAID_MAX_TEXT && full.edges <= MERMAID_MAX_EDGES ? full : compact(report)
}

function renderFull(report: Report): Diagram {
  const b = new Builder()
  b.lines.push(...CLASS_DEFS.map(l => `  ${l}`))
  const clusterId = new Map<string, string>()
  const gatewayId = new Map<string, string>()
  const nodeId = new Map<string, string>()
  let n = 0
  const routes: [string, string][] = []
  report.clusters.forEach((c, ci) => {
    const cid = `c${ci}`
    clusterId.set(c.name, cid)
    b.lines.push(`  subgraph ${cid}[${label(clusterTitle(c))}]`)
    b.lines.push('    direction TB')
    if (c.gateway.kind !== 'none') {
      const gid = `g${ci}`
      gatewayId.set(c.name, gid)
      b.lines.push(`    ${gid}{{${label(`${c.gateway.kind} gateway · ${c.gateway.listeners} routes`)}}}:::gateway`)
    }
    c.organizations.forEach((o, oi) => {
      b.lines.push(`    subgraph ${cid}o${oi}[${label(`org ${o.name}`)}]`)
      for (const node of o.nodes) {
        const id = `n${n++}`
        nodeId.set(`${c.name}\u0000${node.name}`, id)
        const endpoints = node.endpoints.length > 0 ? ` · ${node.endpoints.join(', ')}` : ''
        b.lines.push(`      ${id}[${label(`${node.name}${endpoints}`)}]:::${nodeClass(node)}`)
        if (gatewayId.has(c.name) && node.endpoints.length > 0) routes.push([gatewayId.get(c.name)!, id])
      }
      if (o.nodes.length === 0) b.lines.push(`      ${cid}o${oi}e[${label('no node')}]:::unknown`)
      b.lines.push('    end')
    })
    b.lines.push('  end')
  })
  // plain, even boxes: Mermaid's theme would give every subgraph its own colour
  for (const [ci, c] of report.clusters.entries()) {
    b.lines.push(`  style c${ci} fill:#f6f8fa,stroke:#57606a`)
    c.organizations.forEach((_, oi) => b.lines.push(`  style c${ci}o${oi} fill:#ffffff,stroke:#d0d7de`))
  }
  const outside = outsideNodes(report, b)
  for (const [g, node] of routes) b.link(g, '---', node, 'route')
  const source = (name: string): string => clusterId.get(name) ?? outside.get(name)!
  const target = (name: string, node?: string): string => (node && nodeId.get(`${name}\u0000${node}`)) || gatewayId.get(name) || clusterId.get(name) || outside.get(name)!
  for (const l of crossLines(report.edges, 60, false)) b.link(source(l.from), ARROW[l.style], target(l.to, l.node), l.style, l.text)
  const text = b.finish()
  return { form: 'full', text, nodes: n, edges: b.edgeCount }
}

function compact(report: Report): Diagram {
  const b = new Builder()
  b.lines.push(...CLASS_DEFS.map(l => `  ${l}`))
  const ids = new Map<string, string>()
  report.clusters.forEach((c, ci) => {
    const id = `c${ci}`
    ids.set(c.name, id)
    const nodes = c.organizations.reduce((k, o) => k + o.nodes.length, 0)
    const unreachable = c.organizations.reduce((k, o) => k + o.nodes.filter(x => x.unreachable).length, 0)
    const cls = unreachable > 0 || c.releases.failed > 0 ? 'failed' : c.releases.total > 0 && c.releases.deployed === c.releases.total ? 'deployed' : 'unknown'
    const text = `${clusterTitle(c)} · ${c.gateway.kind} gateway · ${c.organizations.length} orgs · ${nodes} nodes${unreachable > 0 ? ` · ${unreachable} unreachable` : ''}`
    b.lines.push(`  ${id}[${label(text)}]:::${cls}`)
  })
  const outside = outsideNodes(report, b)
  const id = (name: string): string => ids.get(name) ?? outside.get(name)!
  for (const l of crossLines(report.edges, 0, true)) b.link(id(l.from), ARROW[l.style], id(l.to), l.style, l.text)
  return { form: 'compact', text: b.finish(), nodes: report.clusters.length, edges: b.edgeCount }
}
