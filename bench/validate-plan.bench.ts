// P5: validate + plan of a 200-organisation network, against YAML parsing alone (target <= 3x).
// Prints the time per organisation and, last, the ratio. Medians of alternating runs.

import { parseDocument } from 'yaml'

import { loadNetworkText } from '../src/model/load.js'
import { buildPlan } from '../src/plan/plan.js'
// @ts-expect-error plain ESM helper without types
import { generateNetwork } from './generate.mjs'

const ORGS = 200
const RUNS = 15
const text: string = generateNetwork(ORGS)

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

async function main(): Promise<void> {
  // warm both paths (JIT, ajv compile) so the ratio compares steady-state work
  parseDocument(text)
  const warm = await loadNetworkText('bench.yaml', text)
  if (!warm.network) throw new Error('the generated network is invalid: ' + warm.diagnostics.filter(d => d.severity === 'error').map(d => d.message).join('; '))
  const parse: number[] = []
  const full: number[] = []
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now()
    parseDocument(text)
    parse.push(performance.now() - t)
    t = performance.now()
    const r = await loadNetworkText('bench.yaml', text)
    buildPlan(r.network!)
    full.push(performance.now() - t)
  }
  const p = median(parse)
  const f = median(full)
  console.log(`P5 validate+plan, ${ORGS} organisations: ${f.toFixed(1)} ms (${((f / ORGS) * 1000).toFixed(0)} us per organisation); YAML parse alone ${p.toFixed(1)} ms`)
  console.log(`P5 ratio validate+plan / parse: ${(f / p).toFixed(2)} (target <= 3)`)
}

await main()
