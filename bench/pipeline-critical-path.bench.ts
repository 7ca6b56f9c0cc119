// P2: the pipeline's wall time for a network on 5 clusters (provision in parallel, then the
// dependency-graph deploy) against its critical path: the longest chain of steps that must follow
// one another, from the steps' own durations measured in the same run (a cluster's provisioning,
// then each release after the releases it depends on). The ratio is what orchestration adds:
// waiting, scheduling gaps, the gateway-address lookups (target <= 1.1). The clusters are sim
// clusters: real API servers stand in for kind, Helm is real.

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { execHelm, Helm } from '../src/deploy/helm.js'
import { resolveHelm } from '../src/deploy/helm-binary.js'
import { deployNetwork } from '../src/deploy/network.js'
import { MemoryLogger } from '../src/log/logger.js'
import { loadNetworkText } from '../src/model/load.js'
import { buildPlan } from '../src/plan/plan.js'
import { SimProvider } from '../src/providers/sim/provider.js'

const CLUSTERS = 5
const workDir = mkdtempSync(join(tmpdir(), 'baf-bench-p2-'))
const log = new MemoryLogger()
const provider = new SimProvider()
const helm = new Helm(execHelm(await resolveHelm()))

const org = (i: number): string => `      name: o${i}
      external_url_suffix: o${i}.baf.test
      k8s: { context: c${i} }
      services:
${
  i === 1
    ? `        validators:\n${[1, 2, 3, 4].map(v => `          - { name: v${v}, bootnode: ${v <= 2}, p2p: { port: 30303 }, rpc: { port: 8545 } }`).join('\n')}`
    : `        peers:\n          - { name: m${i}, p2p: { port: 30303 }, rpc: { port: 8545 } }`
}`
const yaml = `network:
  type: besu
  version: 23.10.2
  env: { type: t, proxy: haproxy }
  config: { consensus: qbft }
  organizations:
${Array.from({ length: CLUSTERS }, (_, i) => `    - organization:\n${org(i + 1)}`).join('\n')}
baf: { seed: p2 }
`
const loaded = await loadNetworkText('bench.yaml', yaml)
if (!loaded.network) throw new Error(loaded.diagnostics.map(d => `${d.line}: ${d.message}`).join('\n'))
const network = loaded.network
const plan = buildPlan(network)

const started = performance.now()
const clusters = await provider.create(plan.clusters, { workDir, log })
try {
  const result = await deployNetwork({ network, plan, clusters, helm, log, diagnosticsDir: join(workDir, 'diag'), seed: network.seed, installControllers: false })
  const wall = (performance.now() - started) / 1000

  // each cluster's own provisioning time, as the provider measured it from that cluster's start
  const provisioned = new Map<string, number>()
  for (const line of log.lines) {
    const m = line.match(/sim cluster (\S+): \d+ node\(s\) Ready in ([\d.]+)s/)
    if (m) provisioned.set(m[1], Number(m[2]))
  }
  const seconds = new Map(result.releases.map(r => [r.id, r.seconds ?? 0]))
  const finish = new Map<string, number>()
  // releases come in dependency order, so every dependency's finish is known first
  for (const r of plan.releases) {
    const ready = Math.max(provisioned.get(r.cluster) ?? 0, ...r.dependsOn.map(d => finish.get(d) ?? 0))
    finish.set(r.id, ready + (seconds.get(r.id) ?? 0))
  }
  const critical = Math.max(...finish.values())
  console.log(`P2 ${CLUSTERS} sim clusters, ${plan.releases.length} releases: pipeline ${wall.toFixed(1)} s, critical path ${critical.toFixed(1)} s (slowest provisioning ${Math.max(...provisioned.values()).toFixed(1)} s)`)
  console.log(`P2 ratio pipeline / critical path: ${(wall / critical).toFixed(2)} (target <= 1.1)`)
} finally {
  await provider.delete(clusters, { workDir, log })
  await helm.dispose()
}
