// The report rendered from the sample states: verdict first, the Mermaid text, the matrix, one
// collapsed block per failure, what is missing said plainly. Golden files hold the Markdown
// (UPDATE_GOLDEN=1 rewrites them; review the diff).

import { renderHtml, inlineScript } from '../../../src/report/html.js'
import { GITHUB_COMMENT_LIMIT, matrixTable, renderMarkdown } from '../../../src/report/markdown.js'
import { label, renderDiagram } from '../../../src/report/mermaid.js'
import { buildReport } from '../../../src/report/model.js'
import { COMMENT_RESERVE } from '../../../src/report/write.js'
import { FIXTURES, golden, loadState } from './helpers.js'

import type { FixtureName } from './helpers.js'

const render = (name: FixtureName) => renderMarkdown(buildReport(loadState(name)), { limit: GITHUB_COMMENT_LIMIT - COMMENT_RESERVE })

test.each(FIXTURES)('%s: the Markdown equals its golden file', name => {
  const md = render(name)
  expect(md.cut).toEqual([])
  expect(md.markdown).toBe(golden(`${name}.md`, md.markdown))
})

test.each<[FixtureName, string, string]>([
  ['besu-3-planned', 'incomplete', '### ⏳ planned; nothing deployed or probed yet · besu 23.10.2 (qbft) on 3 clusters'],
  ['besu-3-provisioned-sim', 'incomplete', '### ⏳ 3 clusters provisioned, network not deployed yet, not probed yet · besu 23.10.2 (qbft) on 3 clusters'],
  ['besu-3-deployed', 'fail', '### ❌ 1 of 12 releases failed · 1 phase failed · besu 23.10.2 (qbft) on 3 clusters'],
  ['besu-3-probed', 'fail', '### ❌ 3 of 41 checks failed · besu 23.10.2 (qbft) on 3 clusters'],
  ['besu-3-green', 'pass', '### ✅ 41/41 checks passed (12 refused as expected) · besu 23.10.2 (qbft) on 3 clusters']
])('%s: the verdict is the first line (%s)', (name, status, line) => {
  expect(buildReport(loadState(name)).verdict.status).toBe(status)
  expect(render(name).markdown.split('\n')[0]).toBe(line)
})

describe('what is missing is said, not invented', () => {
  test('a plan alone: no cluster, no release, no probe, no version; the matrix counts planned probes', () => {
    const r = buildReport(loadState('besu-3-planned'))
    expect(r.missing).toEqual([
      'no cluster was provisioned yet',
      'no deployment results: the network phase has not recorded any release',
      'not probed yet: 41 probe(s) are planned (the matrix shows planned counts)',
      'no tool, chart or image versions recorded'
    ])
    expect(r.counts.checks).toBeUndefined()
    expect(r.matrix.cells.every(c => c.status === 'planned')).toBe(true)
    const md = render('besu-3-planned').markdown
    expect(md).toContain('> **Not in this report yet**')
    expect(md).toContain('**41 checks planned**, none run')
    expect(md).toContain('No phase has run yet.')
  })

  test('sim clusters: each cluster\'s limitations in a plain note', () => {
    const md = render('besu-3-provisioned-sim').markdown
    expect(md).toContain('#### Limitations')
    expect(md).toContain('- `operator`, `gke-my-project-europe-west1-b-carrier`, `store-cluster` (`sim`): pods are simulated by kwok: no container runs')
  })

  test('torn-down clusters are named as such', () => {
    const state = loadState('besu-3-probed')
    state.clusters = []
    state.timings.push({ phase: 'Tear down', startedAt: '2026-11-20T09:04:00.000Z', seconds: 3, outcome: 'ok' })
    expect(buildReport(state).missing).toContain('the clusters were removed (torn down); their details are not in the state any more')
  })
})

describe('the Mermaid flowchart', () => {
  const report = buildReport(loadState('besu-3-probed'))
  const d = renderDiagram(report)
  const lines = d.text.split('\n')

  test('clusters are subgraphs holding a gateway and organisations with their nodes', () => {
    expect(d.form).toBe('full')
    expect(lines[0]).toBe('flowchart LR')
    expect(lines).toContain('  subgraph c0["operator · kind · v1.35.4"]')
    expect(lines).toContain('    g0{{"ambassador gateway · 8 routes"}}:::gateway')
    expect(lines).toContain('    subgraph c0o0["org operator"]')
    expect(d.text).toMatch(/n\d\["validator-1 · p2p, rpc"\]:::unreachable/)
    expect(d.text).toMatch(/n\d\["carrier · p2p, rpc, tm_nodeport"\]:::deployed/)
    expect(lines.filter(l => l.trim() === 'end')).toHaveLength(6)
  })

  test('cross-cluster edges are labelled and styled by outcome; failures point at the failing node', () => {
    expect(lines).toContain('  c2 ==>|"❌ protocol"| n0')
    expect(lines).toContain('  c0 ==>|"❌ tls"| n5')
    expect(lines).toContain('  c1 -.->|"✅ 7 passed · 🚫 2 refused · ⚠️ 1 inconclusive"| g0')
    expect(lines).toContain('  c2 -->|"✅ 7 passed · 🚫 2 refused · ⏭ 1 skipped"| g0')
    const fail = lines.find(l => l.includes('linkStyle') && l.includes('stroke:#cf222e'))!
    const failIndices = fail.replace(/^\s*linkStyle /, '').split(' ')[0].split(',').map(Number)
    const links = lines.filter(l => /^\s+\S+ (---|-->|==>|-\.->)/.test(l))
    expect(failIndices.map(i => links[i].trim().split(' ')[1].slice(0, 3))).toEqual(['==>', '==>', '==>'])
  })

  test('labels cannot break out of their quotes', () => {
    expect(label('a "quoted" <b>#1</b>\nx')).toBe('"a #quot;quoted#quot; #lt;b#gt;#35;1#lt;/b#gt; x"')
  })

  test('planned edges before probing; compact form draws one box per cluster', () => {
    const planned = renderDiagram(buildReport(loadState('besu-3-planned')))
    expect(planned.text).toContain('c2 -.->|"11 planned"| g0')
    const compact = renderDiagram(report, { form: 'compact' })
    expect(compact.form).toBe('compact')
    expect(compact.text).not.toContain('subgraph')
    expect(compact.text).toContain('c0["operator · kind · v1.35.4 · ambassador gateway · 1 orgs · 4 nodes · 1 unreachable"]:::failed')
    expect(compact.text).toContain('c0 ==>|"❌ 2 failed"| c2')
  })
})

describe('the matrix', () => {
  test('cluster by cluster: passed/ran, first failing layers, median time; the diagonal is empty', () => {
    const table = matrixTable(buildReport(loadState('besu-3-probed')))
    expect(table.split('\n').slice(0, 5)).toEqual([
      '| from ＼ to | `operator` | `gke-my-project-europe-west1-b-carrier` | `store-cluster` |',
      '|---|---|---|---|',
      '| **operator** | — | ✅ 5/5 · 14 ms | ❌ 3/5 · tcp, tls · 43 ms |',
      '| **gke-my-project-europe-west1-b-carrier** | ⚠️ 9/10 · 1 inconclusive · 7 ms | — | ✅ 5/5 · 13 ms |',
      '| **store-cluster** | ❌ 9/10 · protocol · 1 skipped · 8 ms | ✅ 5/5 · 11 ms | — |'
    ])
  })

  test('probes from the runner and to hosts outside the clusters get their own row and column', () => {
    const state = loadState('besu-3-green')
    const first = state.probes!.results[0]
    state.probes!.results.push({ ...first, id: 'runner->x', spec: { ...first.spec, id: 'runner->x', from: 'runner', target: { host: 'rpc.partner.example', port: 443 } } })
    const r = buildReport(state)
    expect(r.matrix.rows.at(-1)).toBe('runner')
    expect(r.matrix.cols.at(-1)).toBe('external')
    expect(renderDiagram(r).text).toContain('x0(["Actions runner"]):::outside')
  })
})

describe('failure details', () => {
  const report = buildReport(loadState('besu-3-probed'))

  test('one per failing or inconclusive probe, required failures first, inconclusive last', () => {
    expect(report.failures.map(f => [f.title, f.outcome, f.layer])).toEqual([
      ['store-cluster → validator-1rpc.operator.blk.example.com:80', 'fail', 'protocol'],
      ['operator → store.store.blk.example.com:443', 'fail', 'tls'],
      ['operator → baf-gateway.store.blk.example.com:22', 'fail', 'tcp'],
      ['gke-my-project-europe-west1-b-carrier → validator-4rpc.operator.blk.example.com:80', 'inconclusive', 'dlt']
    ])
  })

  test('a collapsed block with every layer and the hint', () => {
    const md = render('besu-3-probed').markdown
    expect(md).toContain('<details><summary>❌ <b>store-cluster → validator-1rpc.operator.blk.example.com:80</b> failed at <b>protocol</b></summary>')
    expect(md).toContain('| protocol | ❌ fail | 208 ms | HTTP 503 from the gateway: upstream connect error or disconnect/reset before headers |')
    expect(md).toContain('| dlt | ⏭ skip | 0 ms |  |')
    expect(md).toContain('**Hint:** the gateway routes the host but validator-1 answers nothing')
    expect(md).toContain('failed at <b>tcp</b> (must be refused)')
    expect(md.match(/<details>/g)).toHaveLength(4)
    expect(md.match(/<\/details>/g)).toHaveLength(4)
  })

  test('a failed release and its phase come before probe failures, with a hint that names the namespace', () => {
    const r = buildReport(loadState('besu-3-deployed'))
    expect(r.failures.map(f => f.kind)).toEqual(['phase', 'release'])
    expect(r.failures[1].hint).toContain('kubectl -n store-bes get pods,events')
  })
})

test('timings per phase, wall time and versions', () => {
  const md = render('besu-3-probed').markdown
  expect(md).toContain('| Deploy besu network (12 releases) | ✅ ok | 2m 12s |')
  expect(md).toContain('Wall time 3m 22s, first phase start to last phase end.')
  expect(md).toContain('`besu` 23.10.2 · chart besu-node 0.1.0')
})

test('report.json model: versioned, deterministic, and holds no kubeconfig path', () => {
  const a = buildReport(loadState('besu-3-probed'))
  expect(a.version).toBe(1)
  expect(JSON.stringify(a)).toBe(JSON.stringify(buildReport(loadState('besu-3-probed'))))
  expect(JSON.stringify(a)).not.toContain('kubeconfig')
})

describe('the HTML page', () => {
  const page = renderHtml(buildReport(loadState('besu-3-probed')), { mermaidJs: 'window.fake = "</script><!-- x"', generatedAt: '2026-11-20T10:00:00Z' })

  test('verdict first, every section, the diagram text as JSON the page draws', () => {
    expect(page).toContain('<h1 class="fail" id="verdict">❌ 3 of 41 checks failed · besu 23.10.2 (qbft) on 3 clusters</h1>')
    for (const h of ['Topology', 'Connectivity matrix', 'Failures (4)', 'Clusters', 'Timings', 'Versions']) expect(page).toContain(`<h2>${h}`)
    const json = /<script type="application\/json" id="baf-diagram">(.*?)<\/script>/.exec(page)![1]
    expect((JSON.parse(json) as { diagrams: { text: string }[] }).diagrams.map(d => d.text)).toEqual([renderDiagram(buildReport(loadState('besu-3-probed'))).text])
    expect(page).toContain('data-mermaid="pending"')
  })

  test('an inlined script cannot end its element', () => {
    expect(page).toContain('window.fake = "\\x3C/script>\\x3C!-- x"')
    expect(inlineScript('a</SCRIPT>b')).toBe('a\\x3C/SCRIPT>b')
  })

  test('without the Mermaid bundle the page says so rather than failing silently', () => {
    const bare = renderHtml(buildReport(loadState('besu-3-planned')))
    expect(bare).toContain("done('unavailable'")
    expect(bare).not.toContain('window.fake')
  })
})
