// GitHub refuses comments over 65,536 characters. A huge state must still produce a comment that
// fits, with detail cut first and a note saying where the rest is; never the verdict or the matrix.

import { GITHUB_COMMENT_LIMIT, JOB_SUMMARY_LIMIT, matrixTable, renderMarkdown, verdictLine } from '../../../src/report/markdown.js'
import { FULL_DIAGRAM_MAX_NODES, MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, renderDiagram } from '../../../src/report/mermaid.js'
import { buildReport } from '../../../src/report/model.js'
import { COMMENT_RESERVE } from '../../../src/report/write.js'
import { generatedPlan, synthesizeState } from '../../fixtures/states/synth.js'

import type { Plan } from '../../../src/plan/types.js'

const LIMIT = GITHUB_COMMENT_LIMIT - COMMENT_RESERVE

let plan200: Plan
beforeAll(async () => {
  plan200 = await generatedPlan(200)
})

test('200 nodes, every allowed probe failing: the comment fits, verdict and matrix intact, detail cut with a note', () => {
  const state = synthesizeState(plan200, { stage: 'probed', provider: 'kind', failEvery: 1 })
  const report = buildReport(state)
  expect(report.counts.nodes).toBe(200)
  expect(report.failures.length).toBeGreaterThan(500)
  const full = renderMarkdown(report)
  expect(full.markdown.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT)

  const md = renderMarkdown(report, { limit: LIMIT })
  expect(md.markdown.length).toBeLessThanOrEqual(LIMIT)
  expect(md.markdown.split('\n')[0]).toBe(verdictLine(report))
  expect(md.markdown).toContain(matrixTable(report))
  expect(md.cut[0]).toMatch(/^details of \d+ of \d+ failure\(s\) left out/)
  expect(md.markdown).toContain("> ✂️ **Shortened to fit GitHub's limit**")
  expect(md.markdown).toContain('The full report is in the job summary of this run and the report artifact (report.html, report.json).')
  // cut failures still open and close their blocks
  expect(md.markdown.match(/<details>/g)?.length).toBe(md.markdown.match(/<\/details>/g)?.length)
  expect(md.failuresShown).toBeGreaterThan(0)

  // the job summary holds up to 1 MiB: the same renderer keeps more there
  const summary = renderMarkdown(report, { limit: JOB_SUMMARY_LIMIT - 4096, measure: 'bytes' })
  expect(Buffer.byteLength(summary.markdown)).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT)
  expect(summary.failuresShown).toBeGreaterThan(md.failuresShown)
})

test('a green 200-node network fits whole; its diagram is one box per cluster, and the full one is within Mermaid\'s limits', () => {
  const report = buildReport(synthesizeState(plan200, { stage: 'probed', provider: 'kind' }))
  const md = renderMarkdown(report, { limit: LIMIT })
  expect(md.cut).toEqual([])
  expect(report.counts.nodes).toBeGreaterThan(FULL_DIAGRAM_MAX_NODES)
  expect(md.diagram).toBe('full')
  expect(renderDiagram(report).form).toBe('compact')
  const d = renderDiagram(report, { form: 'full' })
  expect(d.text.length).toBeLessThanOrEqual(MERMAID_MAX_TEXT)
  expect(d.edges).toBeLessThanOrEqual(MERMAID_MAX_EDGES)
})

test('a diagram beyond Mermaid\'s limits switches to one box per cluster', async () => {
  const report = buildReport(synthesizeState(await generatedPlan(600, 6), { stage: 'probed', provider: 'kind', failEvery: 5 }))
  const d = renderDiagram(report)
  expect(d.form).toBe('compact')
  expect(d.text.length).toBeLessThan(MERMAID_MAX_TEXT)
  const md = renderMarkdown(report, { limit: LIMIT })
  expect(md.markdown.length).toBeLessThanOrEqual(LIMIT)
  expect(md.markdown).toContain('#### Topology (one box per cluster)')
})

test('20 clusters: the 20 x 20 matrix survives whatever else is cut', async () => {
  const report = buildReport(synthesizeState(await generatedPlan(200, 20), { stage: 'probed', provider: 'kind', failEvery: 1 }))
  expect(report.matrix.rows).toHaveLength(20)
  const md = renderMarkdown(report, { limit: LIMIT })
  expect(md.markdown.length).toBeLessThanOrEqual(LIMIT)
  expect(md.markdown).toContain(matrixTable(report))
})

test.each([5_000, 2_000])('a tiny limit (%i) keeps the verdict and as much of the matrix as fits', limit => {
  const report = buildReport(synthesizeState(plan200, { stage: 'probed', provider: 'kind', failEvery: 3 }))
  const md = renderMarkdown(report, { limit })
  expect(md.markdown.length).toBeLessThanOrEqual(limit)
  expect(md.markdown.startsWith(verdictLine(report))).toBe(true)
  expect(md.markdown).toContain('| from ＼ to |')
})
