// Issue 4's measure (design.md P2's provisioning half): with a stand-in `kind` that takes 2 s per
// cluster, creating 5 clusters against creating 1 (target <= 1.2; one kind step per cluster = 5).

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { MemoryLogger } from '../src/log/logger.js'
import type { PlanCluster } from '../src/plan/types.js'
import { KindProvider } from '../src/providers/kind/provider.js'
import { FakeCli } from '../test/harness/fake-cli/fake-cli.js'

const fake = new FakeCli(['kind', 'docker', 'helm'])
fake.install()
fake.rules([
  {
    tool: 'kind',
    args: ['create', 'cluster'],
    delayMs: 2000,
    write: [{ flag: '--kubeconfig', content: 'apiVersion: v1\nkind: Config\nclusters:\n- name: kind\n  cluster:\n    server: https://127.0.0.1:40001\n' }]
  },
  { tool: 'kind', args: ['get', 'kubeconfig'], stdout: 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://{name}-control-plane:6443\n' }
])

const cluster = (name: string): PlanCluster => ({ name, context: `ctx-${name}`, organizations: [], namespaces: [], workerNodes: 1, gateway: { kind: 'haproxy', namespace: 'haproxy', listeners: [] }, dnsSuffixes: [] })

async function timeCreate(count: number): Promise<number> {
  const started = performance.now()
  await new KindProvider({ addons: false }).create(
    Array.from({ length: count }, (_, i) => cluster(`c${i}`)),
    { workDir: mkdtempSync(join(tmpdir(), 'baf-bench-kind-')), log: new MemoryLogger() }
  )
  return (performance.now() - started) / 1000
}

const one = Math.min(await timeCreate(1), await timeCreate(1))
const five = Math.min(await timeCreate(5), await timeCreate(5))
console.log(`kind stand-in (2 s per create): 1 cluster ${one.toFixed(2)} s, 5 clusters ${five.toFixed(2)} s`)
console.log(`kind ratio five clusters / one: ${(five / one).toFixed(2)} (target <= 1.2; sequential = 5.0)`)
