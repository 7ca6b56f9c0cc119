// P6: rendering the report of a 200-node network with a full probe matrix (target <= 50 ms):
// State -> report model -> Markdown within the comment limit (Mermaid diagram included) -> HTML.
// Also shown: the worst case, every allowed probe failing, where the size budget cuts detail.
// Medians of repeated runs after a warm-up; prints the P6 time last.

import { renderHtml } from '../src/report/html.js'
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from '../src/report/markdown.js'
import { buildReport } from '../src/report/model.js'
import { COMMENT_RESERVE } from '../src/report/write.js'
import { generatedPlan, synthesizeState } from '../test/fixtures/states/synth.js'

import type { State } from '../src/state/state.js'

const NODES = 200
const RUNS = 25

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

function time(state: State): { ms: number; chars: number; cut: number } {
  const out: number[] = []
  let chars = 0
  let cut = 0
  for (let i = 0; i < RUNS + 3; i++) {
    const t = performance.now()
    const report = buildReport(state)
    const md = renderMarkdown(report, { limit: GITHUB_COMMENT_LIMIT - COMMENT_RESERVE })
    renderHtml(report)
    if (i >= 3) out.push(performance.now() - t)
    chars = md.markdown.length
    cut = md.cut.length
  }
  return { ms: median(out), chars, cut }
}

async function main(): Promise<void> {
  const plan = await generatedPlan(NODES)
  const typical = synthesizeState(plan, { stage: 'probed', provider: 'kind', failEvery: 10 })
  const worst = synthesizeState(plan, { stage: 'probed', provider: 'kind', failEvery: 1 })
  const probes = typical.probes!.results.length
  const w = time(worst)
  const t = time(typical)
  console.log(`worst case (every allowed probe failing): ${w.ms.toFixed(1)} ms, comment ${w.chars} chars, ${w.cut} kind(s) of detail cut`)
  console.log(`typical: ${probes} probes over ${plan.clusters.length} clusters, comment ${t.chars} chars`)
  console.log(`P6 report render, ${NODES} nodes with a full matrix: ${t.ms.toFixed(1)} ms (target <= 50 ms)`)
}

await main()
