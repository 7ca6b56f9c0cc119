// The matrix under its limits: a small pool bounds the sockets in flight, one deadline bounds the
// run, a hung target costs its own timeout only, nothing is left open or rejected unhandled.

import { probeOptions } from '../../../src/probe/options.js'
import { runProbes } from '../../../src/probe/suite.js'
import { hangingServer, tcpListener } from './support/servers.js'
import type { Running } from './support/servers.js'
import { FAST, spec } from './support/specs.js'

const IP = '127.0.76.21'
const servers: Running[] = []
const unhandled: unknown[] = []
const onUnhandled = (e: unknown): void => {
  unhandled.push(e)
}

beforeAll(() => process.on('unhandledRejection', onUnhandled))
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled)
  await Promise.all(servers.map(s => s.close()))
})
afterEach(() => expect(unhandled).toEqual([]))

async function start(make: () => Promise<Running>): Promise<Running> {
  const s = await make()
  servers.push(s)
  return s
}

const settle = (): Promise<void> => new Promise(r => setTimeout(r, 100))

test('the pool bounds probes in flight; results keep the input order', async () => {
  const hang = await start(() => hangingServer(IP))
  const specs = Array.from({ length: 12 }, (_, i) => spec(`hang${i}.example`, hang.port, { protocol: 'tls', layers: ['tls'], target: { expectAddress: IP } }))
  const started = Date.now()
  const run = await runProbes(specs, probeOptions({ ...FAST, connectTimeoutMs: 100, concurrency: 4 }))
  const wall = Date.now() - started
  expect(run.results.map(r => r.id)).toEqual(specs.map(s => s.id))
  // 12 handshakes of 200 ms, 4 at a time: three waves (all at once would take one)
  expect(wall).toBeGreaterThanOrEqual(3 * 200)
  expect(wall).toBeLessThan(1_500)
  // the server may see a new connection just before it sees the previous one close
  expect(hang.peak).toBeLessThanOrEqual(5)
  expect(hang.accepted).toBe(12)
  await settle()
  expect(hang.open).toBe(0)
  expect(run.settings).toMatchObject({ concurrency: 4, connectTimeoutMs: 100, retries: 0 })
})

test('a hung target costs its timeout, never the run', async () => {
  const hang = await start(() => hangingServer(IP))
  const open = await start(() => tcpListener(IP))
  const specs = [spec('hung.example', hang.port, { protocol: 'tls', layers: ['tcp', 'tls'], target: { expectAddress: IP } }), ...Array.from({ length: 20 }, (_, i) => spec(`ok${i}.example`, open.port, { target: { expectAddress: IP } }))]
  const started = Date.now()
  const run = await runProbes(specs, probeOptions({ ...FAST, connectTimeoutMs: 250, retries: 1, backoffMs: 50, concurrency: 8 }))
  const wall = Date.now() - started
  const hung = run.results[0]
  expect(hung).toMatchObject({ outcome: 'fail', failedLayer: 'tls', attempts: 2 })
  expect(run.results.slice(1).every(r => r.outcome === 'pass')).toBe(true)
  // the run takes about as long as the hung probe: 2 x 500 ms handshakes + 50 ms backoff
  expect(wall).toBeLessThan(hung.ms + 2_000)
  expect(run.summary).toEqual({ total: 21, passed: 20, failed: 1, inconclusive: 0, skipped: 0, requiredFailed: 1 })
  expect(run.verdict).toBe('fail')
})

test('one deadline bounds the whole suite: running probes stop, waiting ones never start', async () => {
  const hang = await start(() => hangingServer(IP))
  const specs = Array.from({ length: 6 }, (_, i) => spec(`slow${i}.example`, hang.port, { protocol: 'tls', layers: ['tls'], target: { expectAddress: IP } }))
  const started = Date.now()
  const run = await runProbes(specs, probeOptions({ ...FAST, connectTimeoutMs: 10_000, retries: 3, concurrency: 2, deadlineMs: 300 }))
  // far below one 10 s connect timeout, let alone six of them with retries
  expect(Date.now() - started).toBeLessThan(5_000)
  expect(run.results.every(r => r.outcome === 'inconclusive')).toBe(true)
  expect(run.results.slice(0, 2).map(r => r.message)).toEqual(['stopped: the suite deadline was reached', 'stopped: the suite deadline was reached'])
  expect(run.results[5].message).toBe('not run: the suite deadline of 300 ms was reached first')
  expect(run.summary.requiredFailed).toBe(6)
  await settle()
  expect(hang.open).toBe(0)
})

test('optional probes are reported but do not fail the verdict', async () => {
  const listener = await start(() => tcpListener(IP))
  const run = await runProbes([spec('exposed.example', listener.port, { expect: 'deny', required: false, target: { expectAddress: IP } })], probeOptions(FAST))
  expect(run.summary).toMatchObject({ failed: 1, requiredFailed: 0 })
  expect(run.verdict).toBe('pass')
})
