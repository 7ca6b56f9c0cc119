// The checked-in bundles against the real world they probe: dist/probe/index.js run as the
// Actions runner runs it (INPUT_*, GITHUB_OUTPUT) and dist/cli.js `baf probe`, on a state whose
// plan is the embedded two-cluster Besu example, its gateways one HAProxy on 127.0.78.1-2 (ports
// 80, 443, 15010-15013 as the plan has them), its DNS a dnsmasq, its JSON-RPC nodes ganache.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { validateFiles } from '../../../src/model/index.js'
import { buildPlan } from '../../../src/plan/plan.js'
import type { Plan } from '../../../src/plan/types.js'
import { readState, STATE_VERSION, writeState } from '../../../src/state/state.js'
import type { ProbeRun } from '../../../src/probe/types.js'
import { runAction, runCli } from '../../harness/run-action.js'
import { tcpListener } from '../../unit/probe/support/servers.js'
import type { Running } from '../../unit/probe/support/servers.js'
import { startDnsmasq, startGanache, startHaproxy } from './world.js'
import type { Proc } from './world.js'

const GW = { 'sim-operator': '127.0.78.1', 'sim-member': '127.0.78.2' } as const
const procs: Proc[] = []
const servers: Running[] = []
let resolver = ''
let plan: Plan

/** the plan with expectations ganache can meet (it has no peers and no validator API) */
function ganacheFriendly(p: Plan): Plan {
  return { ...p, probes: p.probes.map(s => (s.dlt ? { ...s, dlt: { platform: s.dlt.platform, minPeers: 0 } } : s)) }
}

async function stateDir(p: Plan): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'baf-probe-bundle-'))
  const clusters = p.clusters.map(c => ({ name: c.name, provider: 'sim' as const, kubeconfig: '/nonexistent', context: c.name, limitations: [], gatewayAddress: GW[c.name as keyof typeof GW] }))
  await writeState(dir, { version: STATE_VERSION, createdAt: new Date().toISOString(), networkFile: 'examples/besu-2-clusters.yaml', provider: 'sim', plan: p, clusters, timings: [] })
  return dir
}

const inputs = (state: string, over: Record<string, string> = {}): Record<string, string> => ({ state, network: '', 'fail-on-required': 'true', runner: 'runner', resolver, ca: '', 'timeout-seconds': '120', concurrency: '64', samples: '1', image: '', ...over })

beforeAll(async () => {
  const result = await validateFiles(['examples/besu-2-clusters.yaml'])
  plan = buildPlan(result.networks[0])
  const ganache = await startGanache('127.0.78.100', 1)
  procs.push(ganache.proc)
  const p2p = await tcpListener('127.0.78.100')
  servers.push(p2p)
  procs.push(
    await startHaproxy(
      plan.clusters.map(c => ({
        name: c.name.replace(/-/g, '_'),
        address: GW[c.name as keyof typeof GW],
        tls: { port: 443, routes: {} },
        http: { port: 80, routes: Object.fromEntries(plan.endpoints.filter(e => e.cluster === c.name && e.name === 'rpc').map(e => [e.host, ganache.address])) },
        tcp: Object.fromEntries(plan.endpoints.filter(e => e.cluster === c.name && e.name === 'p2p').map(e => [e.port, `127.0.78.100:${p2p.port}`]))
      }))
    )
  )
  const dns = await startDnsmasq('127.0.78.53', 5353, { 'operator.baf.test': GW['sim-operator'], 'member.baf.test': GW['sim-member'] }, ['baf.test'])
  procs.push(dns.proc)
  resolver = dns.resolver
}, 120_000)

afterAll(async () => {
  await Promise.all(servers.map(s => s.close()))
  await Promise.all(procs.map(p => p.stop()))
}, 30_000)

test('the action probes every planned path, sets its outputs and records the run in the state', async () => {
  const dir = await stateDir(ganacheFriendly(plan))
  const r = await runAction('dist/probe/index.js', inputs(dir))
  expect({ code: r.code, err: r.stderr }).toEqual({ code: 0, err: '' })
  const total = plan.probes.length
  expect(r.outputs).toEqual({ results: join(dir, 'probes', 'results.json'), junit: join(dir, 'probes', 'junit.xml'), passed: String(total), failed: '0', verdict: 'pass' })
  expect(r.stdout).toContain(`::group::Probe ${total} path(s) from the runner`)
  expect(r.stdout).toContain(`${total} probe(s): ${total} passed, 0 failed, 0 inconclusive, 0 skipped; 0 required failed; verdict pass`)
  const results = JSON.parse(readFileSync(r.outputs.results, 'utf8')) as ProbeRun
  expect(results).toMatchObject({ version: 1, runner: 'runner', verdict: 'pass', settings: { resolver, concurrency: 64, deadlineMs: 120_000 } })
  // every rpc path went through DNS (to the recorded gateway address), TCP, JSON-RPC and the ledger check
  const rpc = results.results.find(x => x.id === 'sim-member->validator-1rpc.operator.baf.test:80')!
  expect(rpc.layers.map(l => l.layer)).toEqual(['dns', 'tcp', 'protocol', 'dlt'])
  expect(rpc.layers[0].detail).toBe('validator-1rpc.operator.baf.test -> 127.0.78.1 (the expected gateway address)')
  expect(results.results.find(x => x.id === 'sim-member->baf-unrouted.operator.baf.test:443')).toMatchObject({ outcome: 'pass', message: 'denied as expected (sni-rejected)' })
  expect(readFileSync(r.outputs.junit, 'utf8')).toContain('<testsuite name="from sim-member"')
  const state = await readState(dir)
  expect(state.probes?.summary.passed).toBe(total)
  expect(state.timings.map(t => [t.phase, t.outcome])).toEqual([['Probe', 'ok']])
}, 90_000)

test('a failing required probe fails the step with one line per failure; fail-on-required false keeps it green', async () => {
  const dir = await stateDir(plan)
  const r = await runAction('dist/probe/index.js', inputs(dir))
  expect(r.code).toBe(1)
  const rpcPaths = plan.probes.filter(p => p.dlt).length
  expect(r.outputs).toMatchObject({ verdict: 'fail', failed: String(rpcPaths) })
  expect(r.stdout).toContain('sim-member -> validator-1rpc.operator.baf.test:80 [dlt] net_peerCount 0, expected at least 5 (the node is not connected to its peers: check the P2P ports')
  expect(r.stdout).toContain(`::error::${rpcPaths} required probe(s) failed or stayed inconclusive`)
  expect(r.stdout).not.toMatch(/at .*index\.js/)

  const lenient = await runAction('dist/probe/index.js', inputs(dir, { 'fail-on-required': 'false' }))
  expect(lenient.code).toBe(0)
  expect(lenient.stdout).toContain('::warning::')
  expect(lenient.outputs.verdict).toBe('fail')
}, 90_000)

test('bad inputs are refused by name', async () => {
  const dir = await stateDir(plan)
  expect((await runAction('dist/probe/index.js', inputs(dir, { runner: 'laptop' }))).stdout).toContain('input "runner" is "laptop"; expected one of: runner, in-cluster')
  expect((await runAction('dist/probe/index.js', inputs(dir, { concurrency: 'many' }))).stdout).toContain('input "concurrency" is "many"')
  expect((await runAction('dist/probe/index.js', inputs(dir, { resolver: 'dns.example' }))).stdout).toContain('resolver "dns.example" must be IP or IP:PORT')
  // a network given again is planned again, and must plan the clusters the state records
  const other = await runAction('dist/probe/index.js', inputs(dir, { network: 'examples/besu-bevel-charts.yaml' }))
  expect(other.code).toBe(1)
  expect(other.stdout).toContain(`examples/besu-bevel-charts.yaml plans cluster(s) sim-supplychain, sim-carrier that the state in ${dir} does not record (it has sim-operator, sim-member)`)
})

test('baf probe --state-dir: same engine, exit 1 on a failed required probe, 0 when all pass', async () => {
  const failing = await runCli(['probe', '--state-dir', await stateDir(plan), '--resolver', resolver])
  expect(failing.code).toBe(1)
  expect(failing.stderr).toContain('[dlt] net_peerCount 0, expected at least 5')
  const passing = await runCli(['probe', '--state-dir', await stateDir(ganacheFriendly(plan)), '--resolver', resolver, '--json'])
  expect(passing.code).toBe(0)
  expect((JSON.parse(passing.stdout) as ProbeRun).verdict).toBe('pass')
}, 90_000)

test('baf probe --endpoint: one path, layer by layer, as JSON; exit 0 pass, 1 fail, 2 usage', async () => {
  const rpc = await runCli(['probe', '--endpoint', 'jsonrpc+http://validator-2rpc.operator.baf.test', '--resolver', resolver, '--platform', 'besu', '--min-peers', '1', '--json'])
  expect(rpc.code).toBe(1)
  const report = JSON.parse(rpc.stdout) as { verdict: string; layers: { layer: string; status: string; hint?: string }[] }
  expect(report.verdict).toBe('fail')
  expect(report.layers.map(l => [l.layer, l.status])).toEqual([
    ['dns', 'pass'],
    ['tcp', 'pass'],
    ['protocol', 'pass'],
    ['dlt', 'fail']
  ])
  const denied = await runCli(['probe', '--endpoint', 'tcp://baf-gateway.member.baf.test:2379', '--resolver', resolver, '--expect', 'deny'])
  expect(denied.code).toBe(0)
  expect(denied.stdout).toMatch(/^tcp:\/\/baf-gateway\.member\.baf\.test:2379 \(expect deny\): pass\n {2}dns/)
  const byAddress = await runCli(['probe', '--endpoint', 'tls://baf-unrouted.member.baf.test', '--address', GW['sim-member'], '--json'])
  expect(JSON.parse(byAddress.stdout)).toMatchObject({ verdict: 'fail', layers: [{ layer: 'tcp', status: 'pass' }, { layer: 'tls', status: 'fail' }] })
  expect((await runCli(['probe', '--endpoint', 'ftp://x.test'])).code).toBe(2)
  expect((await runCli(['probe', '--endpoint', 'tcp://x.test:1', '--expect', 'maybe'])).code).toBe(2)
}, 90_000)

test('the in-cluster runner refuses to pretend: without provisioned clusters every probe is inconclusive', async () => {
  const dir = await stateDir(plan)
  const state = await readState(dir)
  state.clusters = []
  await writeState(dir, state)
  const r = await runAction('dist/probe/index.js', inputs(dir, { runner: 'in-cluster' }))
  expect(r.code).toBe(1)
  expect(r.stdout).toContain('source cluster sim-member is not in the state (not provisioned, or already torn down)')
  expect(existsSync(r.outputs.results)).toBe(true)
})
