// Report -> one standalone HTML page: everything the Markdown has, never cut, with the diagram
// drawn in the browser by the real Mermaid bundle inlined into the page, so it works offline when
// opened from a downloaded artifact. The page records the outcome in <body data-mermaid="ok|error|
// unavailable"> (and the error text), which the Chromium test reads.

import { duration } from './markdown.js'
import { renderDiagram } from './mermaid.js'

import type { Failure, MatrixCell, Report } from './model.js'

export interface HtmlOpts {
  /** the Mermaid browser bundle (mermaid.min.js); without it the page shows the diagram's text */
  mermaidJs?: string
  /** shown in the footer; the page is otherwise a pure function of the report */
  generatedAt?: string
  title?: string
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function html(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, c => HTML_ESCAPES[c]) : text
}

/** JSON inside <script>: nothing in it can close the element */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

/** a classic script's text, with the sequences that would end or confuse the <script> element hidden */
export function inlineScript(js: string): string {
  return js.replace(/<(\/?script|!--)/gi, '\\x3C$1')
}

const ICON = { pass: '✅', denied: '🚫', fail: '❌', inconclusive: '⚠️', skipped: '⏭', planned: '…', none: '—' } as const

function cell(c: MatrixCell | undefined): string {
  if (!c || c.status === 'none') return '<td class="none">—</td>'
  if (c.status === 'planned') return `<td class="planned">${c.planned} planned</td>`
  const bits = [`${ICON[c.status]} ${c.passed}/${c.total - c.skipped}`]
  if (c.failedLayers.length > 0) bits.push(html(c.failedLayers.join(', ')))
  if (c.inconclusive > 0) bits.push(`${c.inconclusive} inconclusive`)
  if (c.skipped > 0) bits.push(`${c.skipped} skipped`)
  if (c.p50Ms !== undefined) bits.push(`${Math.round(c.p50Ms)} ms`)
  return `<td class="${c.status}">${bits.join(' · ')}</td>`
}

function failure(f: Failure): string {
  const rows = (f.layers ?? [])
    .map(l => `<tr class="${l.status}"><td>${html(l.layer)}</td><td>${html(l.status)}</td><td>${l.ms !== undefined ? `${Math.round(l.ms)} ms` : ''}</td><td>${html(l.detail ?? '')}</td></tr>`)
    .join('')
  const facts = [f.reason, f.attempts !== undefined ? `${f.attempts} attempt(s)` : '', f.ms !== undefined ? `${Math.round(f.ms)} ms` : ''].filter(Boolean).map(x => html(String(x))).join(' · ')
  return `<details class="failure ${f.outcome}" open><summary>${f.outcome === 'fail' ? '❌' : '⚠️'} <b>${html(f.title)}</b>${f.layer ? ` failed at <b>${html(f.layer)}</b>` : ''}${f.required ? '' : ' · optional'}</summary>
${facts ? `<p>${facts}</p>` : ''}${rows ? `<table><tr><th>layer</th><th>result</th><th>time</th><th>detail</th></tr>${rows}</table>` : f.detail ? `<p>${html(f.detail)}</p>` : ''}${f.hint ? `<p><b>Hint:</b> ${html(f.hint)}</p>` : ''}
</details>`
}

const STYLE = `body{font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;margin:24px auto;max-width:1400px;padding:0 16px}
h1{font-size:20px}h1.pass{color:#1a7f37}h1.fail{color:#cf222e}h1.incomplete{color:#9a6700}h2{font-size:16px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}
td.fail{background:#ffebe9}td.pass{background:#dafbe1}td.denied{background:#f6f8fa}td.inconclusive{background:#fff8c5}td.planned{color:#57606a}
.diagram{overflow:auto;border:1px solid #d0d7de;border-radius:6px;padding:12px;min-height:80px;cursor:zoom-in}.diagram svg{max-width:100%;height:auto}.diagram.full{cursor:zoom-out}.diagram.full svg{max-width:none}
.error{color:#cf222e;white-space:pre-wrap}pre{background:#f6f8fa;padding:8px;overflow:auto}details.failure{margin:6px 0;border-left:3px solid #cf222e;padding-left:8px}
details.failure.inconclusive{border-color:#9a6700}.missing{background:#fff8c5;padding:8px 12px;border-radius:6px}footer{color:#57606a;margin-top:32px;font-size:12px}`

// runs after the inlined Mermaid bundle; reports its outcome on <body> for people and tests alike
const RENDER = `(async () => {
  const diagrams = JSON.parse(document.getElementById('baf-diagram').textContent).diagrams
  const done = (state, box, message) => {
    document.body.dataset.mermaid = state
    if (message) { const p = document.createElement('p'); p.className = 'error'; p.id = 'diagram-error'; p.textContent = message; box.replaceChildren(p) }
  }
  const first = document.getElementById(diagrams[0].box)
  if (typeof mermaid === 'undefined') return done('unavailable', first, 'The Mermaid library was not found when this page was written; the diagram text is below.')
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 2000000, maxEdges: 20000, flowchart: { useMaxWidth: false } })
  for (const d of diagrams) {
    const box = document.getElementById(d.box)
    try {
      await mermaid.parse(d.text)
      const { svg } = await mermaid.render(d.svg, d.text)
      box.innerHTML = svg
    } catch (e) {
      return done('error', box, 'Mermaid could not draw the diagram: ' + (e && e.message ? e.message : String(e)))
    }
  }
  done('ok')
})()`

export function renderHtml(report: Report, opts: HtmlOpts = {}): string {
  const diagram = renderDiagram(report)
  // a dense network gets the readable overview first and every node below it
  const detailed = diagram.form === 'compact' ? renderDiagram(report, { form: 'full' }) : undefined
  const diagrams = [{ box: 'diagram', svg: 'baf-topology', text: diagram.text }, ...(detailed ? [{ box: 'diagram-full', svg: 'baf-topology-full', text: detailed.text }] : [])]
  const { rows, cols, cells } = report.matrix
  const at = new Map(cells.map(c => [`${c.from}\u0000${c.to}`, c]))
  const matrix = `<table class="matrix"><tr><th>from \\ to</th>${cols.map(c => `<th>${html(c)}</th>`).join('')}</tr>${rows
    .map(r => `<tr><th>${html(r)}</th>${cols.map(c => cell(at.get(`${r}\u0000${c}`))).join('')}</tr>`)
    .join('')}</table>`
  const clusters = `<table><tr><th>cluster</th><th>provider</th><th>Kubernetes</th><th>gateway</th><th>organisations and nodes</th><th>releases</th></tr>${report.clusters
    .map(
      c =>
        `<tr><td>${html(c.name)}</td><td>${html(c.provider ?? '—')}</td><td>${html(c.kubernetesVersion ?? '—')}</td><td>${html(c.gateway.kind)} (${c.gateway.listeners} routes)</td><td>${c.organizations
          .map(o => `<b>${html(o.name)}</b>: ${o.nodes.map(n => html(n.name) + (n.release ? ` (${html(n.release)})` : '')).join(', ') || 'no node'}`)
          .join('<br>')}</td><td>${report.counts.releases ? `${c.releases.deployed}/${c.releases.total} deployed${c.releases.failed ? `, ${c.releases.failed} failed` : ''}` : '—'}</td></tr>`
    )
    .join('')}</table>`
  const timings = report.timings.length
    ? `<table><tr><th>phase</th><th>outcome</th><th>time</th><th>detail</th></tr>${report.timings.map(t => `<tr><td>${html(t.phase)}</td><td>${html(t.outcome)}</td><td>${duration(t.seconds)}</td><td>${html(t.detail ?? '')}</td></tr>`).join('')}</table>${
        report.wallSeconds !== undefined ? `<p>Wall time ${duration(report.wallSeconds)}.</p>` : ''
      }`
    : '<p>No phase has run yet.</p>'
  const limitations = report.clusters.filter(c => c.limitations.length > 0)
  const title = opts.title ?? 'baf-action report'
  const verdictIcon = { pass: '✅', fail: '❌', incomplete: '⏳' }[report.verdict.status]
  const mermaidScript = opts.mermaidJs ? `<script>${inlineScript(opts.mermaidJs)}</script>` : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${html(`${title}: ${report.verdict.headline}`)}</title><style>${STYLE}</style></head>
<body data-mermaid="pending" data-verdict="${report.verdict.status}">
<h1 class="${report.verdict.status}" id="verdict">${verdictIcon} ${html(report.verdict.headline)}</h1>
<p>${html(countsText(report))}</p>
${report.missing.length ? `<div class="missing"><b>Not in this report yet</b><ul>${report.missing.map(m => `<li>${html(m)}</li>`).join('')}</ul></div>` : ''}
<h2>Topology${diagram.form === 'compact' ? ' (one box per cluster)' : ''}</h2>
<div class="diagram" id="diagram" title="click to switch between fit-to-width and full size" onclick="this.classList.toggle('full')">Drawing the diagram…</div>
${detailed ? `<details><summary>Every node (${report.counts.nodes})</summary><div class="diagram full" id="diagram-full" onclick="this.classList.toggle('full')">Drawing the diagram…</div></details>` : ''}
<details><summary>Mermaid source</summary><pre id="diagram-source">${html(diagram.text)}</pre></details>
<h2>Connectivity matrix</h2>${matrix}
<h2>Failures (${report.failures.length})</h2>${report.failures.length ? report.failures.map(failure).join('\n') : '<p>None.</p>'}
<h2>Clusters</h2>${clusters}
<h2>Timings</h2>${timings}
<h2>Versions</h2><p>${report.versions.map(v => `<code>${html(v.name)}</code> ${html(v.version)}`).join(' · ')}</p>
${limitations.length ? `<h2>Limitations</h2><ul>${limitations.map(c => `<li><b>${html(c.name)}</b>${c.provider ? ` (${html(c.provider)})` : ''}: ${c.limitations.map(html).join('; ')}</li>`).join('')}</ul>` : ''}
<footer>${html(title)} · network ${html(report.network.file)}${opts.generatedAt ? ` · written ${html(opts.generatedAt)}` : ''}</footer>
<script type="application/json" id="baf-diagram">${scriptJson({ diagrams })}</script>
${mermaidScript}
<script>${RENDER}</script>
</body></html>
`
}

function countsText(report: Report): string {
  const c = report.counts.checks
  const checks = c
    ? `${c.total} checks: ${c.passed} passed, ${c.denied} refused as expected, ${c.failed} failed, ${c.inconclusive} inconclusive, ${c.skipped} skipped`
    : `${report.counts.planned} checks planned, none run`
  const r = report.counts.releases
  const releases = r ? ` · ${r.total} releases: ${r.deployed} deployed, ${r.failed} failed` : ''
  return `${checks}${releases} · ${report.counts.clusters} clusters, ${report.counts.organizations} organisations, ${report.counts.nodes} nodes · provider ${report.network.provider}`
}
