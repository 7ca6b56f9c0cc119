// Issue 3's measure: time to a Ready sim cluster with warm binaries, and three clusters created in
// parallel against one (on two cores, a ratio well under 3 shows creation really overlaps).

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { MemoryLogger } from '../src/log/logger.js'
import { bareCluster } from '../src/plan/plan.js'
import { SimProvider } from '../src/providers/sim/provider.js'


async function timeCreate(names: string[]): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), 'baf-bench-sim-'))
  const provider = new SimProvider()
  const log = new MemoryLogger()
  const started = performance.now()
  const created = await provider.create(names.map(name => bareCluster(name)), { workDir, log })
  const seconds = (performance.now() - started) / 1000
  await provider.delete(created, { workDir, log })
  rmSync(workDir, { recursive: true, force: true })
  return seconds
}

const one: number[] = []
const three: number[] = []
for (let i = 0; i < 2; i++) {
  one.push(await timeCreate(['bench-a']))
  three.push(await timeCreate(['bench-a', 'bench-b', 'bench-c']))
}
const best = (xs: number[]): number => Math.min(...xs)
console.log(`sim: one cluster Ready in ${best(one).toFixed(1)} s; three in parallel in ${best(three).toFixed(1)} s (best of ${one.length})`)
console.log(`sim ratio three clusters / one: ${(best(three) / best(one)).toFixed(2)} (sequential would be 3.0)`)
