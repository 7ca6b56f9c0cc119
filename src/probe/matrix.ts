// The cluster-by-cluster view the report draws: for every source and target cluster, how many
// probes passed, failed, stayed inconclusive or were skipped, and the median connect time.

import { percentile, roundMs } from './stats.js'
import type { ProbeResult, ProbeRun } from './types.js'

export interface MatrixCell {
  total: number
  passed: number
  failed: number
  inconclusive: number
  skipped: number
  /** median TCP connect time of the passed probes (ms), when any passed */
  p50Ms?: number
  /** the failing probes' ids, so a report can link a red cell to its details */
  failures: string[]
}

export interface ProbeMatrix {
  sources: string[]
  targets: string[]
  cells: Record<string, Record<string, MatrixCell>>
}

/** the target's cluster, or its host when the probe names no cluster (extra probes) */
export function targetKey(r: ProbeResult): string {
  return r.spec.target.cluster ?? r.spec.target.host
}

export function probeMatrix(run: ProbeRun): ProbeMatrix {
  const sources: string[] = []
  const targets: string[] = []
  const cells: ProbeMatrix['cells'] = {}
  const connect = new Map<MatrixCell, number[]>()
  for (const r of run.results) {
    const src = r.spec.from
    const dst = targetKey(r)
    if (!sources.includes(src)) sources.push(src)
    if (!targets.includes(dst)) targets.push(dst)
    const row = (cells[src] ??= {})
    const cell = (row[dst] ??= { total: 0, passed: 0, failed: 0, inconclusive: 0, skipped: 0, failures: [] })
    cell.total++
    if (r.outcome === 'pass') {
      cell.passed++
      const tcp = r.layers.find(l => l.layer === 'tcp' && l.status === 'pass')
      if (tcp) connect.set(cell, [...(connect.get(cell) ?? []), tcp.ms])
    } else if (r.outcome === 'fail') cell.failed++
    else if (r.outcome === 'inconclusive') cell.inconclusive++
    else cell.skipped++
    if (r.outcome === 'fail' || r.outcome === 'inconclusive') cell.failures.push(r.id)
  }
  for (const [cell, values] of connect) cell.p50Ms = roundMs(percentile(values, 50))
  return { sources, targets, cells }
}
