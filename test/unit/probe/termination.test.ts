// Reading results back from a probe pod: the termination message (4096 bytes at most), the log
// when the results do not fit, and the pod shapes a kubelet and kwok leave.

import { readFileSync } from 'node:fs'

import { resultsFrom, SIM_SKIP_REASON } from '../../../src/probe/in-cluster/job-runner.js'
import { decodeResults, encodeError, encodeResults, LOG_MARKER, TERMINATION_LIMIT, terminationOf } from '../../../src/probe/in-cluster/termination.js'
import type { ProvisionedCluster } from '../../../src/providers/provider.js'
import { buildRun } from '../../../src/probe/summary.js'
import type { ProbeResult, ProbeSpec } from '../../../src/probe/types.js'
import { spec } from './support/specs.js'

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>
const at = '2026-11-22T02:52:01.000Z'
const sim: ProvisionedCluster = { name: 'sim-operator', provider: 'sim', kubeconfig: '/dev/null', context: 'sim-operator', limitations: [] }
const kind: ProvisionedCluster = { ...sim, name: 'kind-a', provider: 'kind' }

function runOf(n: number): { specs: ProbeSpec[]; results: ProbeResult[] } {
  const specs = Array.from({ length: n }, (_, i) => spec(`validator-${i}.member.baf.test`, 15010 + i, { from: 'sim-operator', layers: ['dns', 'tcp'], target: { cluster: 'sim-member' } }))
  const results = specs.map(
    (s, i): ProbeResult => ({
      id: s.id,
      spec: s,
      outcome: i % 7 === 3 ? 'fail' : 'pass',
      failedLayer: i % 7 === 3 ? 'tcp' : undefined,
      attempts: 1,
      ms: 12.5,
      startedAt: at,
      layers: [
        { layer: 'dns', status: 'pass', ms: 1.2, detail: `${s.target.host} -> 10.96.0.${i % 250}` },
        { layer: 'tcp', status: i % 7 === 3 ? 'fail' : 'pass', ms: 3.4, detail: `connection to 10.96.0.${i % 250}:${s.target.port} ${i % 7 === 3 ? 'refused' : 'ok'}`, hint: i % 7 === 3 ? 'check the listener' : undefined }
      ]
    })
  )
  return { specs, results }
}

test('a small run fits the termination message whole, and reads back equal', () => {
  const { specs, results } = runOf(5)
  const run = buildRun(results, 'in-cluster', at)
  const { message, logLine } = encodeResults(run)
  expect(message.length).toBeLessThanOrEqual(TERMINATION_LIMIT)
  expect(message).toMatch(/^baf-probe\/v1 full /)
  expect(logLine.startsWith(LOG_MARKER)).toBe(true)
  const pod = JSON.parse(JSON.stringify(fixture('pod-succeeded-template.json')).replace('MESSAGE', message)) as Parameters<typeof terminationOf>[0]
  const t = terminationOf(pod)
  expect(t).toEqual({ exitCode: 0, reason: 'Completed', message })
  const decoded = decodeResults(t!.message)
  expect(decoded).toMatchObject({ kind: 'results', source: 'message' })
  expect(resultsFrom(specs, decoded, kind, t)).toEqual(JSON.parse(JSON.stringify(results)))
})

test('a large run sends a summary in the message and the full results through the log', () => {
  const { specs, results } = runOf(400)
  const run = buildRun(results, 'in-cluster', at)
  const { message, logLine } = encodeResults(run)
  expect(message.length).toBeLessThanOrEqual(TERMINATION_LIMIT)
  expect(message).toMatch(/^baf-probe\/v1 (summary|log) /)
  // with the log: everything
  const log = `validator-3 -> ... [tcp] refused\n${logLine}\n`
  const full = decodeResults(message, log)
  expect(full).toMatchObject({ kind: 'results', source: 'log' })
  expect(resultsFrom(specs, full, kind, { exitCode: 0 }).map(r => r.layers.length)).toEqual(results.map(() => 2))
  // without it: a summary still carries every verdict, or the reader says the log was needed
  const alone = decodeResults(message)
  if (alone.kind === 'results') expect(resultsFrom(specs, alone, kind, { exitCode: 0 }).map(r => r.outcome)).toEqual(results.map(r => r.outcome))
  else expect(alone).toMatchObject({ kind: 'garbled', text: expect.stringContaining('did not fit') })
})

test('a mid-size run fits as a summary: verdicts and the failing layer survive', () => {
  // the smallest run whose full results no longer fit
  const n = [80, 100, 120, 140, 160, 200].find(k => encodeResults(buildRun(runOf(k).results, 'in-cluster', at)).message.includes(' summary '))
  expect(n).toBeDefined()
  const { specs, results } = runOf(n!)
  const { message } = encodeResults(buildRun(results, 'in-cluster', at))
  expect(message).toMatch(/^baf-probe\/v1 summary /)
  const back = resultsFrom(specs, decodeResults(message), kind, { exitCode: 0 })
  expect(back.map(r => [r.outcome, r.failedLayer])).toEqual(results.map(r => [r.outcome, r.failedLayer]))
  expect(back[3].layers).toEqual([{ layer: 'tcp', status: 'fail', ms: 3.4, detail: 'connection to 10.96.0.3:15013 refused', hint: 'check the listener' }])
})

test('kwok completes the pod with no message: on a sim cluster every probe is skipped with the reason', () => {
  const pod = fixture('pod-kwok-completed.json') as Parameters<typeof terminationOf>[0]
  const t = terminationOf(pod)
  expect(t).toEqual({ exitCode: 0, reason: 'Completed' })
  const decoded = decodeResults(t?.message)
  expect(decoded).toEqual({ kind: 'none' })
  const { specs } = runOf(3)
  const rs = resultsFrom(specs, decoded, sim, t)
  expect(rs.map(r => [r.outcome, r.message])).toEqual(specs.map(() => ['skipped', SIM_SKIP_REASON]))
  expect(buildRun(rs, 'in-cluster', at).verdict).toBe('skipped')
})

test('the same silence on a real cluster is inconclusive, never skipped or passed', () => {
  const t = terminationOf(fixture('pod-kwok-completed.json') as Parameters<typeof terminationOf>[0])
  const rs = resultsFrom(runOf(2).specs, decodeResults(t?.message), kind, t)
  expect(rs.every(r => r.outcome === 'inconclusive')).toBe(true)
  expect(rs[0].message).toBe('the probe pod on kind-a finished without a result (no termination message, nothing in its log)')
})

test('a crashed runner: the log tail the kubelet kept is reported', () => {
  const t = terminationOf(fixture('pod-crashed.json') as Parameters<typeof terminationOf>[0])
  expect(t).toMatchObject({ exitCode: 1, reason: 'Error' })
  const decoded = decodeResults(t?.message)
  expect(decoded.kind).toBe('garbled')
  const rs = resultsFrom(runOf(1).specs, decoded, kind, t)
  expect(rs[0]).toMatchObject({ outcome: 'inconclusive' })
  expect(rs[0].message).toContain("Cannot find module '/baf-probe/probe-runner.mjs'")
})

test('an error the runner caught is named', () => {
  const rs = resultsFrom(runOf(1).specs, decodeResults(encodeError('config.json: unexpected token')), kind, { exitCode: 1 })
  expect(rs[0].message).toBe('the probe runner on kind-a failed: config.json: unexpected token')
})

test('a probe the pod did not report is inconclusive', () => {
  const { specs, results } = runOf(3)
  const { message } = encodeResults(buildRun(results.slice(0, 2), 'in-cluster', at))
  const rs = resultsFrom(specs, decodeResults(message), kind, { exitCode: 0 })
  expect(rs.map(r => r.outcome)).toEqual(['pass', 'pass', 'inconclusive'])
})
