// P3: Besu with 4 validators and 2 members on 2 sim clusters: our dependency-graph deploy against
// a naive sequential `helm install --wait` of the same releases, in the same run, on the same
// clusters (target <= 0.5).

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { execHelm, Helm } from '../src/deploy/helm.js'
import { resolveHelm } from '../src/deploy/helm-binary.js'
import { deployNetwork } from '../src/deploy/network.js'
import { MemoryLogger } from '../src/log/logger.js'
import { loadNetworkText } from '../src/model/load.js'
import { bareCluster, buildPlan } from '../src/plan/plan.js'
import { SimProvider } from '../src/providers/sim/provider.js'

const workDir = mkdtempSync(join(tmpdir(), 'baf-bench-deploy-'))
const log = new MemoryLogger()
const provider = new SimProvider()
const helm = new Helm(execHelm(await resolveHelm()))

const yaml = (p: string): string => `network:
  type: besu
  version: 23.10.2
  env: { type: t, proxy: haproxy }
  config: { consensus: qbft }
  organizations:
    - organization:
      name: ${p}-val
      external_url_suffix: ${p}-val.baf.test
      k8s: { context: c1 }
      services:
        validators:
${[1, 2, 3, 4].map(i => `          - { name: ${p}-v${i}, bootnode: ${i <= 2}, p2p: { port: 30303 }, rpc: { port: 8545 } }`).join('\n')}
    - organization:
      name: ${p}-mem
      external_url_suffix: ${p}-mem.baf.test
      k8s: { context: c2 }
      services:
        peers:
${[1, 2].map(i => `          - { name: ${p}-m${i}, p2p: { port: 30303 }, rpc: { port: 8545 } }`).join('\n')}
baf: { seed: ${p} }
`

async function planOf(prefix: string) {
  const r = await loadNetworkText('bench.yaml', yaml(prefix))
  return { network: r.network!, plan: buildPlan(r.network!) }
}

const clusters = await provider.create(
  ['c1', 'c2'].map(name => bareCluster(name)),
  { workDir, log }
)
try {
  const ours: number[] = []
  const naive: number[] = []
  for (let round = 0; round < 2; round++) {
    const a = await planOf(`o${round}`)
    let t = performance.now()
    await deployNetwork({ ...a, clusters, helm, log, diagnosticsDir: join(workDir, 'diag'), seed: a.network.seed, installControllers: false })
    ours.push((performance.now() - t) / 1000)

    // the same kind of network the naive way: one `helm upgrade --install --atomic --wait` after another
    const b = await planOf(`n${round}`)
    t = performance.now()
    await deployNetwork({ ...b, clusters, helm, log, diagnosticsDir: join(workDir, 'diag'), seed: b.network.seed, installControllers: false, concurrency: 1, readiness: 'helm' })
    naive.push((performance.now() - t) / 1000)
  }
  const best = (xs: number[]): number => Math.min(...xs)
  console.log(`P3 deploy 4 validators + 2 members on 2 sim clusters: ours ${best(ours).toFixed(1)} s, sequential helm --wait ${best(naive).toFixed(1)} s (best of ${ours.length})`)
  console.log(`P3 ratio ours / sequential: ${(best(ours) / best(naive)).toFixed(2)} (target <= 0.5)`)
} finally {
  await provider.delete(clusters, { workDir, log })
  await helm.dispose()
}
