// Report -> Markdown: the one text that serves the sticky PR comment and the job summary. The
// verdict comes first; the matrix follows the diagram. It always fits the limit it is given
// (65,536 characters for a comment): detail is cut first - failure details, then the diagram's
// detail, the cluster table, timings and versions, then the diagram - with a note that says where
// the full report is. The verdict and the matrix are never cut.

import { renderDiagram } from './mermaid.js'

import type { Failure, LayerRow, MatrixCell, Report } from './model.js'
import type { DiagramForm } from './mermaid.js'

/** GitHub refuses comment bodies longer than this (characters) */
export const GITHUB_COMMENT_LIMIT = 65_536
/** GitHub keeps at most this much of one step's job summary (bytes) */
export const JOB_SUMMARY_LIMIT = 1_048_576

export interface MarkdownOpts {
  /** the most the Markdown may measure; unlimited when absent */
  limit?: number
  /** how `limit` is measured: UTF-16 code units (never fewer than GitHub's characters) or UTF-8 bytes */
  measure?: 'chars' | 'bytes'
  /** where the uncut report is, for the note that says something was cut */
  fullReport?: string
}

export interface RenderedMarkdown {
  markdown: string
  /** what was left out or shortened to fit the limit, in words; empty when nothing was */
  cut: string[]
  diagram: DiagramForm | 'omitted'
  failuresShown: number
}

export const DEFAULT_FULL_REPORT = 'the job summary of this run and the report artifact (report.html, report.json)'

const VERDICT_ICON = { pass: '✅', fail: '❌', incomplete: '⏳' } as const
const LAYER_ICON: Record<LayerRow['status'], string> = { pass: '✅ pass', fail: '❌ fail', skip: '⏭ skip', inconclusive: '⚠️ inconclusive', 'not-run': '· not run' }

// `_` stays: GitHub does not emphasise inside words (tm_nodeport), and raw report.md stays readable
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '|': '&#124;', '@': '&#64;', '`': '&#96;', '*': '&#42;', '[': '&#91;', ']': '&#93;', '~': '&#126;', '\\': '&#92;', '#': '&#35;' }

/** untrusted text for Markdown and inline HTML: no formatting, no tags, no @mentions, safe in table cells */
const NEEDS_ESCAPE = /[&<>|@`*[\]~\\#\r\n]/

export function esc(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text
  return text.replace(/[&<>|@`*[\]~\\#]/g, c => ESCAPES[c]).replace(/[\r\n]+/g, ' ')
}

/** a name as inline code when it is plainly safe there, else escaped text */
function code(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._:/+-]*$/.test(text) ? `\`${text}\`` : esc(text)
}

export function duration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`
  if (seconds < 60) return `${seconds.toFixed(1)} s`
  const whole = Math.round(seconds)
  const m = Math.floor(whole / 60)
  const s = whole % 60
  return m < 60 ? `${m}m ${String(s).padStart(2, '0')}s` : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}

function ms(value: number | undefined): string {
  return value === undefined ? '' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`
}

export function verdictLine(report: Report): string {
  return `### ${VERDICT_ICON[report.verdict.status]} ${esc(report.verdict.headline)}`
}

function countsLine(report: Report): string {
  const parts: string[] = []
  const c = report.counts.checks
  if (c) {
    const bits = [`✅ ${c.passed} passed`, c.denied > 0 ? `🚫 ${c.denied} refused as expected` : '', c.failed > 0 ? `❌ ${c.failed} failed` : '', c.inconclusive > 0 ? `⚠️ ${c.inconclusive} inconclusive` : '', c.skipped > 0 ? `⏭ ${c.skipped} skipped` : '']
    parts.push(`**${c.total} checks**: ${bits.filter(Boolean).join(' · ')}`)
  } else parts.push(`**${report.counts.planned} checks planned**, none run`)
  const r = report.counts.releases
  if (r) parts.push(`**${r.total} releases**: ${[`${r.deployed} deployed`, r.failed ? `${r.failed} failed` : '', r.pending ? `${r.pending} pending` : '', r.skipped ? `${r.skipped} skipped` : ''].filter(Boolean).join(', ')}`)
  parts.push(`${report.counts.organizations} organisations, ${report.counts.nodes} nodes · provider ${code(report.network.provider)} · ${code(report.network.file)}`)
  return parts.join(' · ')
}

function missingBlock(report: Report): string {
  if (report.missing.length === 0) return ''
  return `> **Not in this report yet**\n${report.missing.map(m => `> - ${esc(m)}`).join('\n')}\n`
}

function cellText(c: MatrixCell | undefined, compact: boolean): string {
  if (!c || c.status === 'none') return '—'
  if (c.status === 'planned') return `${c.planned} planned`
  const icon = { pass: '✅', denied: '🚫', fail: '❌', inconclusive: '⚠️', skipped: '⏭' }[c.status]
  const ran = c.total - c.skipped
  if (c.status === 'skipped') return compact ? '⏭' : `⏭ ${c.skipped} skipped`
  if (compact) return `${icon} ${c.passed}/${ran}`
  const bits = [`${icon} ${c.passed}/${ran}`]
  if (c.failedLayers.length > 0) bits.push(c.failedLayers.join(', '))
  if (c.inconclusive > 0) bits.push(`${c.inconclusive} inconclusive`)
  if (c.skipped > 0) bits.push(`${c.skipped} skipped`)
  if (c.p50Ms !== undefined) bits.push(ms(c.p50Ms))
  return bits.join(' · ')
}

export function matrixTable(report: Report, compact = false): string {
  const { rows, cols, cells } = report.matrix
  const at = new Map(cells.map(c => [`${c.from}\u0000${c.to}`, c]))
  const out = [`| from ＼ to | ${cols.map(code).join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`]
  for (const row of rows) out.push(`| **${esc(row)}** | ${cols.map(col => cellText(at.get(`${row}\u0000${col}`), compact)).join(' | ')} |`)
  return out.join('\n') + '\n'
}

function matrixSection(report: Report, compact: boolean): string {
  const legend = report.counts.checks
    ? `<sub>Each cell: checks passed / checks run from the row's cluster to the column's gateway; 🚫 = all were expected refusals${compact ? '' : '; then the first failing layers and the median time of the passing probes'}.</sub>`
    : '<sub>Not probed yet: each cell counts the planned probes.</sub>'
  return `#### Connectivity matrix\n\n${matrixTable(report, compact)}\n${legend}\n`
}

function diagramSection(report: Report, form: DiagramForm): string {
  const d = renderDiagram(report, { form })
  const what = d.form === 'compact' ? ' (one box per cluster)' : ''
  return `#### Topology${what}\n\n\`\`\`mermaid\n${d.text}\`\`\`\n\n<sub>✅ passed · 🚫 refused as expected · ❌ failed, with the first failing layer · ⚠️ inconclusive · ⏭ skipped; a dashed red node failed a required check.</sub>\n`
}

function clustersSection(report: Report): string {
  const rows = report.clusters.map(c => {
    const nodes = c.organizations.reduce((n, o) => n + o.nodes.length, 0)
    const r = c.releases
    const releases = report.counts.releases ? [`${r.deployed}/${r.total} deployed`, r.failed ? `${r.failed} failed` : '', r.pending ? `${r.pending} pending` : ''].filter(Boolean).join(', ') : '—'
    return `| ${code(c.name)} | ${c.provider ? code(c.provider) : '—'} | ${c.kubernetesVersion ? esc(c.kubernetesVersion) : '—'} | ${esc(c.gateway.kind)} (${c.gateway.listeners} routes) | ${c.organizations.map(o => esc(o.name)).join(', ')} | ${nodes} | ${releases} |`
  })
  return `#### Clusters\n\n| cluster | provider | Kubernetes | gateway | organisations | nodes | releases |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`
}

function failureSummary(f: Failure): string {
  const icon = f.outcome === 'fail' ? '❌' : '⚠️'
  const at = f.layer ? ` ${f.outcome === 'fail' ? 'failed' : 'inconclusive'} at <b>${esc(f.layer)}</b>` : ''
  const what = f.kind === 'probe' ? `${at}${f.expect === 'deny' ? ' (must be refused)' : ''}${f.required ? '' : ' · optional'}` : ''
  return `${icon} <b>${esc(f.title)}</b>${what}`
}

export function failureBlock(f: Failure): string {
  const lines = [`<details><summary>${failureSummary(f)}</summary>`, '']
  const facts = [f.reason, f.kind === 'probe' && f.attempts !== undefined ? `${f.attempts} attempt(s)` : '', ms(f.ms)].filter(Boolean) as string[]
  if (facts.length > 0) lines.push(facts.map(esc).join(' · '), '')
  if (f.layers && f.layers.length > 0) {
    lines.push('| layer | result | time | detail |', '|---|---|---|---|')
    for (const l of f.layers) lines.push(`| ${esc(l.layer)} | ${LAYER_ICON[l.status]} | ${ms(l.ms)} | ${l.detail ? esc(l.detail) : ''} |`)
    lines.push('')
  } else if (f.detail) lines.push(esc(f.detail), '')
  if (f.hint) lines.push(`**Hint:** ${esc(f.hint)}`, '')
  lines.push('</details>')
  return lines.join('\n') + '\n'
}

/** one line per failure, for when the details do not fit */
export function failureLine(f: Failure): string {
  const bits = [f.layer ? `at ${f.layer}` : '', f.detail ?? '', f.hint ? `hint: ${f.hint}` : ''].filter(Boolean).map(esc)
  return `- ${f.outcome === 'fail' ? '❌' : '⚠️'} ${esc(f.title)}${bits.length > 0 ? ` · ${bits.join(' · ')}` : ''}\n`
}

function timingsSection(report: Report): string {
  if (report.timings.length === 0) return '#### Timings\n\nNo phase has run yet.\n'
  const icon = { ok: '✅', failed: '❌', skipped: '⏭' } as Record<string, string>
  const rows = report.timings.map(t => `| ${esc(t.phase)} | ${icon[t.outcome] ?? ''} ${esc(t.outcome)} | ${duration(t.seconds)} |`)
  const wall = report.wallSeconds !== undefined ? `\nWall time ${duration(report.wallSeconds)}, first phase start to last phase end.\n` : ''
  return `#### Timings\n\n| phase | outcome | time |\n|---|---|---|\n${rows.join('\n')}\n${wall}`
}

function versionsSection(report: Report): string {
  return `#### Versions\n\n${report.versions.map(v => `${code(v.name)} ${esc(v.version)}`).join(' · ')}\n`
}

function limitationsSection(report: Report): string {
  const byText = new Map<string, string[]>()
  for (const c of report.clusters) {
    if (c.limitations.length === 0) continue
    const key = `${c.provider ?? ''}\u0000${c.limitations.join('\u0000')}`
    byText.set(key, [...(byText.get(key) ?? []), c.name])
  }
  if (byText.size === 0) return ''
  const items = [...byText].map(([key, names]) => {
    const [provider, ...limits] = key.split('\u0000')
    return `- ${names.map(code).join(', ')}${provider ? ` (${code(provider)})` : ''}: ${limits.map(esc).join('; ')}.`
  })
  return `#### Limitations\n\nWhat these clusters cannot show, so that a green check is not read as more than it is:\n\n${items.join('\n')}\n`
}

interface Levels {
  diagram: DiagramForm | 'omitted'
  clusters: boolean
  timings: boolean
  versions: boolean
  limitations: boolean
  compactMatrix: boolean
}

/** the order in which detail gives way, after the failure details themselves */
const LADDER: Levels[] = [
  { diagram: 'full', clusters: true, timings: true, versions: true, limitations: true, compactMatrix: false },
  { diagram: 'compact', clusters: true, timings: true, versions: true, limitations: true, compactMatrix: false },
  { diagram: 'compact', clusters: false, timings: true, versions: true, limitations: true, compactMatrix: false },
  { diagram: 'compact', clusters: false, timings: false, versions: false, limitations: true, compactMatrix: false },
  { diagram: 'omitted', clusters: false, timings: false, versions: false, limitations: true, compactMatrix: false },
  { diagram: 'omitted', clusters: false, timings: false, versions: false, limitations: false, compactMatrix: false },
  { diagram: 'omitted', clusters: false, timings: false, versions: false, limitations: false, compactMatrix: true }
]

export function renderMarkdown(report: Report, opts: MarkdownOpts = {}): RenderedMarkdown {
  const measure = opts.measure === 'bytes' ? (s: string) => Buffer.byteLength(s, 'utf8') : (s: string) => s.length
  const limit = opts.limit ?? Number.POSITIVE_INFINITY
  const fullReport = opts.fullReport ?? DEFAULT_FULL_REPORT
  const head = [verdictLine(report), countsLine(report), missingBlock(report)].filter(Boolean).join('\n\n').trimEnd() + '\n'
  const failuresHead = report.failures.length > 0 ? `#### Failures (${report.failures.length})\n\n` : ''
  const blocks = report.failures.map(failureBlock)
  const oneLiners = report.failures.map(failureLine)
  const diagrams = new Map<DiagramForm, string>()
  const diagram = (form: DiagramForm): string => {
    if (!diagrams.has(form)) diagrams.set(form, diagramSection(report, form))
    return diagrams.get(form)!
  }

  const assemble = (lv: Levels, failures: string, note: string): string =>
    [
      head,
      lv.diagram === 'omitted' ? '' : diagram(lv.diagram),
      matrixSection(report, lv.compactMatrix),
      failures,
      lv.clusters ? clustersSection(report) : '',
      lv.timings ? timingsSection(report) : '',
      lv.versions ? versionsSection(report) : '',
      lv.limitations ? limitationsSection(report) : '',
      note
    ]
      .filter(Boolean)
      .join('\n')

  const allFailures = failuresHead + blocks.join('\n')
  const whole = assemble(LADDER[0], allFailures, '')
  if (measure(whole) <= limit) return { markdown: whole, cut: [], diagram: LADDER[0].diagram, failuresShown: report.failures.length }

  const noteFor = (cut: string[]): string => `> ✂️ **Shortened to fit GitHub's limit**: ${cut.join('; ')}. The full report is in ${fullReport}.\n`
  for (const [i, lv] of LADDER.entries()) {
    const last = i === LADDER.length - 1
    // the note is measured with a generous wording so the real one always fits
    const reserve = measure(noteFor(['x'.repeat(400)]))
    const rest = measure(assemble(lv, '', '')) + 2
    const room = limit - rest - reserve
    // failure details give way first: keep as many blocks as fit, then one line each, then a count
    const minimum = Math.min(measure(allFailures), Math.floor(limit * 0.3))
    if (room < minimum && !last) continue
    const { text, blocksShown, linesShown } = fitFailures(report.failures.length, failuresHead, blocks, oneLiners, Math.max(0, room), measure)
    const cut = describeCut(lv, report.failures.length, blocksShown, linesShown, report)
    const markdown = assemble(lv, text, cut.length > 0 ? noteFor(cut) : '')
    if (measure(markdown) <= limit) return { markdown, cut, diagram: lv.diagram, failuresShown: blocksShown }
  }
  // only a matrix larger than the limit gets here: keep the verdict and as many rows as fit
  return lastResort(report, head, limit, measure, fullReport)
}

function fitFailures(total: number, headText: string, blocks: string[], lines: string[], room: number, measure: (s: string) => number): { text: string; blocksShown: number; linesShown: number } {
  if (total === 0) return { text: '', blocksShown: 0, linesShown: 0 }
  const more = (n: number): string => (n > 0 ? `\n… and ${n} more failure(s), listed in the full report.\n` : '')
  const reserve = measure(more(total)) + measure(headText)
  let used = reserve
  let blocksShown = 0
  for (const b of blocks) {
    const size = measure(b) + 1
    if (used + size > room) break
    used += size
    blocksShown++
  }
  let linesShown = 0
  for (const l of lines.slice(blocksShown)) {
    const size = measure(l)
    if (used + size > room) break
    used += size
    linesShown++
  }
  if (blocksShown === 0 && linesShown === 0 && room < reserve) return { text: `**${total} failure(s)**: see the full report.\n`, blocksShown: 0, linesShown: 0 }
  const text = headText + blocks.slice(0, blocksShown).join('\n') + (linesShown > 0 ? '\n' + lines.slice(blocksShown, blocksShown + linesShown).join('') : '') + more(total - blocksShown - linesShown)
  return { text, blocksShown, linesShown }
}

function describeCut(lv: Levels, total: number, blocksShown: number, linesShown: number, report: Report): string[] {
  const cut: string[] = []
  if (blocksShown < total) cut.push(`details of ${total - blocksShown} of ${total} failure(s) left out${linesShown > 0 ? ` (${linesShown} listed one line each)` : ''}`)
  if (lv.diagram === 'compact') cut.push('the diagram shows clusters only')
  if (lv.diagram === 'omitted') cut.push('the diagram left out')
  const dropped = [!lv.clusters ? 'cluster table' : '', !lv.timings ? 'timings' : '', !lv.versions ? 'versions' : '', !lv.limitations && limitationsSection(report) ? 'limitations' : ''].filter(Boolean)
  if (dropped.length > 0) cut.push(`${dropped.join(', ')} left out`)
  if (lv.compactMatrix) cut.push('the matrix shows icons and counts only')
  return cut
}

function lastResort(report: Report, head: string, limit: number, measure: (s: string) => number, fullReport: string): RenderedMarkdown {
  const table = matrixTable(report, true).split('\n')
  const note = (n: number): string => `\n> ✂️ **Shortened to fit GitHub's limit**: ${n} matrix row(s), the diagram and all detail left out. The full report is in ${fullReport}.\n`
  let rows = table.length
  let markdown = ''
  // bounded: at most one pass per matrix row
  for (; rows >= 2; rows--) {
    markdown = `${head}\n#### Connectivity matrix\n\n${table.slice(0, rows).join('\n')}\n${note(table.length - rows)}`
    if (measure(markdown) <= limit) break
  }
  if (measure(markdown) > limit) markdown = head.slice(0, Math.max(0, limit - 1))
  return { markdown, cut: ['matrix rows', 'diagram', 'all detail'], diagram: 'omitted', failuresShown: 0 }
}
