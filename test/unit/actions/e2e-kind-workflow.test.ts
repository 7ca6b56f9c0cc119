// .github/workflows/e2e-kind.yml runs only on GitHub (real kind clusters); here its shape is
// checked: the topologies of its matrix and their fixtures, the DNS check of every cluster, the
// teardown that always runs. scripts/e2e-dns-check.sh runs for real against a kubectl and a busybox
// nslookup stand-in built from the fixture's own plan.
// (The generic checks of workflow-files.test.ts, GitHub's parser, explicit permissions and no
// `${{ }}` in run scripts, cover this workflow as they cover every file in .github/workflows.)

import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { parse } from 'yaml'

import { validateFiles } from '../../../src/model/index.js'
import { buildPlan } from '../../../src/plan/plan.js'
import type { Plan } from '../../../src/plan/types.js'
import { ROOT } from '../../harness/action-files.js'
import { evaluate, expand } from '../../harness/expressions.js'

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

interface Cell {
  topology: string
  network: string
  clusters: number
  deploy: boolean
}

interface Workflow {
  on: { workflow_dispatch?: unknown; schedule?: { cron: string }[]; pull_request?: { paths?: string[] } }
  permissions?: unknown
  concurrency?: { group: string; 'cancel-in-progress'?: unknown }
  jobs: Record<string, { strategy?: { 'fail-fast'?: boolean; matrix?: { topology?: string[]; include?: Cell[] } }; steps?: Step[] }>
}

const FILE = '.github/workflows/e2e-kind.yml'
const SCRIPT = 'scripts/e2e-dns-check.sh'
const text = readFileSync(join(ROOT, FILE), 'utf8')
const wf = parse(text) as Workflow
const job = wf.jobs.kind
const steps = job.steps ?? []
const cells = job.strategy?.matrix?.include ?? []
const cell = (topology: string): Cell => cells.find(c => c.topology === topology)!

async function planOf(file: string): Promise<Plan> {
  const result = await validateFiles([join(ROOT, file)])
  expect({ file, errors: result.diagnostics.filter(d => d.severity === 'error').map(d => d.message) }).toEqual({ file, errors: [] })
  return buildPlan(result.networks[0])
}

const dnsChecks = steps.filter(s => s.run?.includes(SCRIPT))
const clusterStep = steps.find(s => s.uses === './actions/cluster')!
const teardown = steps.find(s => s.uses === './actions/teardown')!

describe('e2e-kind.yml', () => {
  test('runs nightly, by hand, and on pull requests that touch providers, DNS, the cluster action or dist', () => {
    expect(wf.on).toHaveProperty('workflow_dispatch')
    expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }])
    expect(wf.on.pull_request?.paths).toEqual(expect.arrayContaining(['src/providers/**', 'src/dns/**', 'actions/cluster/**', 'dist/**']))
  })

  test('reads the repository and nothing more, and runs once per ref', () => {
    expect(wf.permissions).toEqual({ contents: 'read' })
    expect(expand(wf.concurrency!.group, { github: { ref: 'refs/pull/7/merge' } })).toBe('e2e-kind-refs/pull/7/merge')
    const cancels = (event: string) => evaluate(String(wf.concurrency!['cancel-in-progress']), { github: { event_name: event } })
    expect([cancels('pull_request'), cancels('schedule'), cancels('workflow_dispatch')]).toEqual([true, false, false])
  })

  test('pins every action of another repository to a full commit SHA, with its version in a comment', () => {
    const remote = [...text.matchAll(/^\s*(?:- )?uses:\s*(\S+)(.*)$/gm)].filter(m => !m[1].startsWith('./'))
    expect(remote.length).toBeGreaterThan(0)
    for (const [, uses, rest] of remote) expect({ uses, rest }).toEqual({ uses: expect.stringMatching(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/), rest: expect.stringMatching(/^\s+# v\d+\.\d+\.\d+$/) })
  })

  test('the matrix has the topologies one and three, neither cancelling the other', () => {
    expect(job.strategy?.['fail-fast']).toBe(false)
    expect(job.strategy?.matrix?.topology).toEqual(['one', 'three'])
    expect(cells.map(c => c.topology).sort()).toEqual(['one', 'three'])
    expect(cell('one').clusters).toBe(1)
    expect(cell('three').clusters).toBe(3)
  })

  test.each(['one', 'three'])('topology %s: its network file is valid and has as many clusters as the matrix says, each with its own suffix', async topology => {
    const { network, clusters } = cell(topology)
    expect(network).toMatch(/^test\/fixtures\/e2e\/.+\.yaml$/)
    const plan = await planOf(network)
    expect(plan.network.platform).toBe('besu')
    expect(plan.network.consensus).toBe('qbft')
    expect(plan.clusters).toHaveLength(clusters)
    expect(new Set(plan.clusters.map(c => c.context)).size).toBe(clusters)
    const suffixes = plan.clusters.flatMap(c => c.dnsSuffixes)
    expect(suffixes).toHaveLength(clusters)
    expect(new Set(suffixes).size).toBe(clusters)
    expect(plan.clusters.every(c => c.gateway.kind !== 'none')).toBe(true)
  })

  test('creates the clusters of the cell\'s network on kind, in the state directory every later step reads', () => {
    const ctx = { matrix: cell('three'), runner: { temp: '/tmp/r' } }
    expect(clusterStep.id).toBe('cluster')
    expect(clusterStep.with?.provider).toBe('kind')
    expect(expand(String(clusterStep.with?.network), ctx)).toBe('test/fixtures/e2e/three-clusters.yaml')
    const stateDir = expand(String(clusterStep.with?.['state-dir']), ctx)
    expect(stateDir).toBe('/tmp/r/baf')
    for (const s of steps.filter(s => s.uses && ['./actions/network', './actions/probe', './actions/teardown'].includes(s.uses))) {
      expect({ uses: s.uses, state: expand(String(s.with?.state), ctx) }).toEqual({ uses: s.uses, state: stateDir })
    }
  })

  test('the DNS check runs after the clusters exist, for every cluster of the cell, from the cluster action\'s state', () => {
    expect(dnsChecks.length).toBeGreaterThan(0)
    const first = steps.indexOf(dnsChecks[0])
    expect(first).toBeGreaterThan(steps.indexOf(clusterStep))
    expect(dnsChecks[0].if).toBeUndefined()
    for (const s of dnsChecks) {
      expect(s.run).toMatch(/--expect "\$CLUSTERS" "\$STATE"/)
      expect(s.env?.STATE).toBe('${{ steps.cluster.outputs.state }}')
      for (const topology of ['one', 'three']) expect(expand(String(s.env?.CLUSTERS), { matrix: cell(topology) })).toBe(String(cell(topology).clusters))
    }
  })

  test('only three deploys the network, checks DNS again against the deployed gateways and probes it from inside the clusters', () => {
    const network = steps.find(s => s.uses === './actions/network')!
    const probe = steps.find(s => s.uses === './actions/probe')!
    const runs = (s: Step, topology: string) => evaluate(s.if ?? 'true', { matrix: cell(topology) })
    expect([runs(network, 'one'), runs(network, 'three')]).toEqual([false, true])
    expect([runs(probe, 'one'), runs(probe, 'three')]).toEqual([false, true])
    expect(probe.with?.runner).toBe('in-cluster')
    expect(steps.indexOf(probe)).toBeGreaterThan(steps.indexOf(network))
    const again = dnsChecks.filter(s => steps.indexOf(s) > steps.indexOf(network))
    expect(again).toHaveLength(1)
    expect([runs(again[0], 'one'), runs(again[0], 'three')]).toEqual([false, true])
  })

  test('teardown always runs once the cluster step has run, after every other main step but the upload', () => {
    expect(teardown.if).toMatch(/^always\(\)/)
    expect(teardown.if).toContain("steps.cluster.outcome != 'skipped'")
    const later = steps.slice(steps.indexOf(teardown) + 1)
    expect(later.map(s => s.uses?.replace(/@.*/, ''))).toEqual(['actions/upload-artifact'])
  })

  test('on failure the cluster listings and the diagnostics teardown exports are kept as an artifact', () => {
    const record = steps.find(s => s.name === 'Record what each cluster runs')!
    expect(record.if).toMatch(/^failure\(\)/)
    expect(steps.indexOf(record)).toBeLessThan(steps.indexOf(teardown))
    const upload = steps[steps.length - 1]
    expect(upload.if).toBe('failure()')
    const ctx = { matrix: cell('three'), runner: { temp: '/tmp/r' }, steps: { probe: { outputs: { results: '/tmp/r/baf/probe.json', junit: '' } } } }
    expect(expand(String(upload.with?.name), ctx)).toBe('e2e-kind-three-diagnostics')
    expect(expand(String(upload.with?.path), ctx).split('\n')).toEqual(expect.arrayContaining(['/tmp/r/baf/diagnostics', '/tmp/r/baf/state.json', '/tmp/r/baf/probe.json']))
  })
})

describe('scripts/e2e-dns-check.sh', () => {
  let dir: string
  let bin: string

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'baf-e2e-dns-'))
    bin = join(dir, 'bin')
    spawnSync('mkdir', ['-p', bin])
    // kubectl: logs its arguments (one line per call, shell-quoted); `run ... -- CMD...` runs CMD here, as the pod would, knowing its context
    writeFileSync(
      join(bin, 'kubectl'),
      `#!/usr/bin/env bash
{ printf '%q ' "$@"; echo; } >> "$FAKE_LOG"
args=("$@")
ctx=''
for ((i = 0; i < \${#args[@]}; i++)); do
  if [ "\${args[$i]}" = --context ]; then ctx="\${args[$((i + 1))]}"; fi
  if [ "\${args[$i]}" = -- ]; then export FAKE_CONTEXT="$ctx"; exec "\${args[@]:$((i + 1))}"; fi
done
`
    )
    // nslookup as busybox 1.36 prints it; answers come from FAKE_DNS lines "<context|*> <name> <address>"
    writeFileSync(
      join(bin, 'nslookup'),
      `#!/bin/sh
name="$2"
addr=$(awk -v c="$FAKE_CONTEXT" -v n="$name" '($1 == c || $1 == "*") && $2 == n { print $3; exit }' "$FAKE_DNS")
printf 'Server:\\t\\t10.96.0.10\\nAddress:\\t10.96.0.10:53\\n\\n'
if [ -z "$addr" ]; then printf "** server can't find %s: NXDOMAIN\\n\\n" "$name"; exit 1; fi
printf 'Name:\\t%s\\nAddress: %s\\n\\n' "$name" "$addr"
`
    )
    chmodSync(join(bin, 'kubectl'), 0o755)
    chmodSync(join(bin, 'nslookup'), 0o755)
  })

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** A state as the cluster action writes it for `network`: kind clusters, each with its pool. */
  async function stateFor(network: string, name: string, gateways: Record<string, string> = {}): Promise<{ path: string; plan: Plan; pools: Record<string, string> }> {
    const plan = await planOf(network)
    const pools = Object.fromEntries(plan.clusters.map((c, i) => [c.name, `172.18.${255 - i}.200`]))
    const clusters = plan.clusters.map(c => ({
      name: c.name,
      provider: 'kind',
      kubeconfig: join(dir, c.name, 'kubeconfig'),
      context: `kind-${c.name}`,
      loadBalancerPool: [pools[c.name], pools[c.name].replace(/200$/, '250')],
      gatewayAddress: gateways[c.name],
      limitations: []
    }))
    const path = join(dir, `${name}.json`)
    writeFileSync(path, JSON.stringify({ version: 1, provider: 'kind', plan, clusters, timings: [] }))
    return { path, plan, pools }
  }

  function check(args: string[], dns: string[]): { status: number | null; out: string; err: string; calls: string[] } {
    const log = join(dir, `calls-${Math.random().toString(36).slice(2)}.log`)
    const dnsFile = join(dir, `dns-${Math.random().toString(36).slice(2)}.txt`)
    writeFileSync(log, '')
    writeFileSync(dnsFile, dns.join('\n') + '\n')
    const r = spawnSync('bash', [join(ROOT, SCRIPT), '--sleep', '0', ...args], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_LOG: log, FAKE_DNS: dnsFile }
    })
    return { status: r.status, out: r.stdout, err: r.stderr, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean) }
  }

  const answers = (plan: Plan, address: (cluster: string) => string) => plan.clusters.map(c => `* baf-dns-check.${c.dnsSuffixes[0]}. ${address(c.name)}`)

  test('passes bash -n', () => {
    expect(spawnSync('bash', ['-n', join(ROOT, SCRIPT)]).status).toBe(0)
  })

  test('three clusters: one pod in each, resolving every other cluster\'s suffix (and its own) to that cluster\'s pool address', async () => {
    const { path, plan, pools } = await stateFor('test/fixtures/e2e/three-clusters.yaml', 'three')
    const r = check(['--expect', '3', path], answers(plan, c => pools[c]))
    expect({ status: r.status, err: r.err }).toEqual({ status: 0, err: '' })
    const runs = r.calls.filter(c => / run baf-dns-check-/.test(c))
    expect(runs).toHaveLength(3)
    for (const c of plan.clusters) {
      const mine = runs.filter(line => line.includes(`--kubeconfig ${join(dir, c.name, 'kubeconfig')} --context kind-${c.name} run `))
      expect(mine).toHaveLength(1)
      expect(mine[0]).toContain('--image=busybox:1.36')
      expect(mine[0]).toContain('--rm -i')
      expect(mine[0]).toContain('--restart=Never')
      for (const other of plan.clusters) expect(mine[0]).toContain(`baf-dns-check.${other.dnsSuffixes[0]}.`)
    }
    expect(r.out.split('\n').filter(l => l.trim().startsWith('ok'))).toHaveLength(9)
  })

  test('after the network is deployed, the gateway address recorded in the state is the one expected', async () => {
    const { path, plan } = await stateFor('test/fixtures/e2e/three-clusters.yaml', 'deployed', { 'e2e-operator': '172.18.255.201', 'e2e-carrier': '172.18.254.201', 'e2e-store': '172.18.253.201' })
    const deployed: Record<string, string> = { 'e2e-operator': '172.18.255.201', 'e2e-carrier': '172.18.254.201', 'e2e-store': '172.18.253.201' }
    expect(check(['--expect', '3', path], answers(plan, c => deployed[c])).status).toBe(0)
  })

  test('a cluster that resolves another cluster\'s name wrongly fails the check, naming both, after its attempts', async () => {
    const { path, plan, pools } = await stateFor('test/fixtures/e2e/three-clusters.yaml', 'wrong')
    const store = plan.clusters.find(c => c.name === 'e2e-store')!
    const wrong = `kind-e2e-carrier baf-dns-check.${store.dnsSuffixes[0]}. 10.0.0.9`
    const r = check(['--expect', '3', '--attempts', '2', path], [wrong, ...answers(plan, c => pools[c])])
    expect(r.status).toBe(1)
    expect(r.err).toContain(`FAIL  e2e-carrier: baf-dns-check.${store.dnsSuffixes[0]}. -> 10.0.0.9, expected ${pools['e2e-store']} (gateway of e2e-store)`)
    expect(r.err).toContain('cross-cluster DNS failed in: e2e-carrier')
    expect(r.calls.filter(c => c.includes('--context kind-e2e-carrier run '))).toHaveLength(2)
    expect(r.calls.filter(c => c.includes('--context kind-e2e-operator run '))).toHaveLength(1)
  })

  test('a name that does not resolve at all fails', async () => {
    const { path, plan, pools } = await stateFor('test/fixtures/e2e/three-clusters.yaml', 'nx')
    const operator = plan.clusters.find(c => c.name === 'e2e-operator')!
    const r = check(['--attempts', '1', path], answers(plan, c => pools[c]).filter(l => !l.includes(operator.dnsSuffixes[0])))
    expect(r.status).toBe(1)
    expect(r.err).toContain(`baf-dns-check.${operator.dnsSuffixes[0]}. -> no answer`)
  })

  test('one cluster: its own suffix resolves to its own pool address', async () => {
    const { path, plan, pools } = await stateFor('test/fixtures/e2e/one-cluster.yaml', 'one')
    const r = check(['--expect', '1', path], answers(plan, c => pools[c]))
    expect({ status: r.status, err: r.err }).toEqual({ status: 0, err: '' })
    expect(r.calls.filter(c => / run baf-dns-check-/.test(c))).toHaveLength(1)
  })

  test('a state with another number of clusters than expected fails before any pod runs', async () => {
    const { path, plan, pools } = await stateFor('test/fixtures/e2e/one-cluster.yaml', 'count')
    const r = check(['--expect', '3', path], answers(plan, c => pools[c]))
    expect(r.status).toBe(1)
    expect(r.err).toContain('records 1 cluster(s), expected 3')
    expect(r.calls).toEqual([])
  })

  test('bad usage exits 2', () => {
    expect(check([], []).status).toBe(2)
    expect(check(['--attempts', 'x', 'state.json'], []).status).toBe(2)
    expect(check(['--bogus', 'state.json'], []).status).toBe(2)
    expect(check([join(dir, 'missing.json')], []).status).toBe(2)
  })
})
