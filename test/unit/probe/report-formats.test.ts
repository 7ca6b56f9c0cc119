// What leaves the engine: failure lines, counts and verdict, JUnit XML and the matrix.

import { toJUnit } from '../../../src/probe/junit.js'
import { probeMatrix } from '../../../src/probe/matrix.js'
import { buildRun, failureLines, summaryLine } from '../../../src/probe/summary.js'
import type { ProbeResult } from '../../../src/probe/types.js'
import { spec } from './support/specs.js'

const at = '2026-01-01T00:00:00.000Z'
const result = (r: Partial<ProbeResult> & Pick<ProbeResult, 'spec' | 'outcome'>): ProbeResult => ({ id: r.spec.id, layers: [], attempts: 1, ms: 10, startedAt: at, ...r })

const ok = result({
  spec: spec('peer0.b.test', 443, { from: 'a', target: { cluster: 'b' } }),
  outcome: 'pass',
  layers: [
    { layer: 'dns', status: 'pass', ms: 1 },
    { layer: 'tcp', status: 'pass', ms: 4 }
  ]
})
const tlsFail = result({
  spec: spec('orderer0.c.test', 443, { from: 'a', target: { cluster: 'c' } }),
  outcome: 'fail',
  failedLayer: 'tls',
  layers: [
    { layer: 'tcp', status: 'pass', ms: 2 },
    { layer: 'tls', status: 'fail', ms: 4, detail: 'certificate CN=haproxy-default does not match SNI orderer0.c.test <&>', hint: 'add an SNI passthrough route for orderer0.c.test' }
  ]
})
const optional = result({ spec: spec('gw.c.test', 2379, { from: 'b', required: false, expect: 'deny', target: { cluster: 'c' } }), outcome: 'fail', failedLayer: 'tcp', layers: [{ layer: 'tcp', status: 'fail', ms: 1, detail: 'connected: the path is open but must be denied', hint: 'close port 2379' }] })
const skipped = result({ spec: spec('peer0.a.test', 443, { from: 'b', target: { cluster: 'a' } }), outcome: 'skipped', attempts: 0, message: 'sim cluster: no container runs' })
const lost = result({ spec: spec('peer1.a.test', 443, { from: 'c', target: { cluster: 'a' } }), outcome: 'inconclusive', attempts: 0, message: 'stopped: the suite deadline was reached' })

const run = { ...buildRun([ok, tlsFail, optional, skipped, lost], 'runner', at), finishedAt: at }

test('counts, required failures (inconclusive included) and the verdict', () => {
  expect(run.summary).toEqual({ total: 5, passed: 1, failed: 2, inconclusive: 1, skipped: 1, requiredFailed: 2 })
  expect(run.verdict).toBe('fail')
  expect(summaryLine(run)).toBe('5 probe(s): 1 passed, 2 failed, 1 inconclusive, 1 skipped (sim cluster: no container runs); 2 required failed; verdict fail')
})

test('nothing probed is "skipped", never a pass', () => {
  expect(buildRun([skipped], 'in-cluster', at).verdict).toBe('skipped')
  expect(buildRun([ok, skipped], 'in-cluster', at).verdict).toBe('pass')
})

test('one line per failure: src -> dst:port [layer] message (hint)', () => {
  expect(failureLines(run)).toEqual([
    'a -> orderer0.c.test:443 [tls] certificate CN=haproxy-default does not match SNI orderer0.c.test <&> (add an SNI passthrough route for orderer0.c.test)',
    'b -> gw.c.test:2379 [tcp] connected: the path is open but must be denied (close port 2379) [optional]',
    'c -> peer1.a.test:443 [probe] stopped: the suite deadline was reached [inconclusive]'
  ])
})

test('JUnit: a testsuite per source, a testcase per probe, failures with layer and hint, escaped', () => {
  const xml = toJUnit(run)
  expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="baf-action probes" tests="5" failures="2" errors="1" skipped="1" time="0.000">/)
  expect(xml.match(/<testsuite /g)).toHaveLength(3)
  expect(xml).toContain('<testsuite name="from a" tests="2" failures="1" errors="0" skipped="0" time="0.010"')
  expect(xml).toContain('<testcase classname="a" name="peer0.b.test:443 (allow)" time="0.010"/>')
  expect(xml).toContain(
    '<failure type="tls" message="[tls] certificate CN=haproxy-default does not match SNI orderer0.c.test &lt;&amp;&gt; (add an SNI passthrough route for orderer0.c.test)">'
  )
  expect(xml).toContain('<testcase classname="b" name="gw.c.test:2379 (deny, optional)"')
  expect(xml).toContain('<skipped message="sim cluster: no container runs"/>')
  expect(xml).toContain('<error type="inconclusive" message="[probe] stopped: the suite deadline was reached">')
  expect(xml.match(/<testcase /g)).toHaveLength(5)
  expect(xml.match(/<\/testcase>/g)).toHaveLength(4)
})

test('the matrix: sources x target clusters with counts, failing ids and the median connect time', () => {
  const m = probeMatrix(run)
  expect(m.sources).toEqual(['a', 'b', 'c'])
  expect(m.targets).toEqual(['b', 'c', 'a'])
  expect(m.cells.a.b).toEqual({ total: 1, passed: 1, failed: 0, inconclusive: 0, skipped: 0, failures: [], p50Ms: 4 })
  expect(m.cells.a.c).toMatchObject({ total: 1, failed: 1, failures: [tlsFail.id] })
  expect(m.cells.b.a).toMatchObject({ skipped: 1 })
  expect(m.cells.c.a).toMatchObject({ inconclusive: 1, failures: [lost.id] })
  expect(m.cells.a.a).toBeUndefined()
})
