// The engine's rules for one probe: first failure stops it, expected denials pass when denied
// and fail when open, only inconclusive results are retried, samples give p50/p95.

import { probeOptions } from '../../../src/probe/options.js'
import { runProbe } from '../../../src/probe/probe.js'
import type { ProbeOptions } from '../../../src/probe/options.js'
import type { ProbeSpec } from '../../../src/probe/types.js'
import { dnsServer } from './support/dns-server.js'
import type { DnsServer } from './support/dns-server.js'
import { createCa } from './support/pki.js'
import type { TestCa } from './support/pki.js'
import { closedPort, droppingServer, hangingServer, tcpListener, tlsServer } from './support/servers.js'
import type { Running } from './support/servers.js'
import { FAST, spec } from './support/specs.js'

const IP = '127.0.76.11'
const servers: Running[] = []
const keep = <T extends Running>(s: T): T => {
  servers.push(s)
  return s
}
let ca: TestCa
let dns: DnsServer

beforeAll(async () => {
  ca = await createCa('org1-tls-ca')
  dns = await dnsServer(IP, { '*.org1.baf.test': IP })
})
afterAll(async () => {
  await Promise.all(servers.map(s => s.close()))
  await dns.close()
})

const run = (s: ProbeSpec, opts: Partial<ProbeOptions> = {}, signal = new AbortController().signal) => runProbe(s, probeOptions({ ...FAST, resolver: dns.resolver, ...opts }), signal)

test('an open path passes every layer in order', async () => {
  const s = keep(await tlsServer(IP, await ca.issue(['peer0.org1.baf.test'])))
  const r = await run(spec('peer0.org1.baf.test', s.port, { protocol: 'tls', layers: ['dns', 'tcp', 'tls'], target: { expectAddress: IP } }), { ca: ca.cert })
  expect(r).toMatchObject({ outcome: 'pass', attempts: 1 })
  expect(r.layers.map(l => [l.layer, l.status])).toEqual([
    ['dns', 'pass'],
    ['tcp', 'pass'],
    ['tls', 'pass']
  ])
  expect(r.failedLayer).toBeUndefined()
})

test('the first failing layer stops the probe and is named', async () => {
  const port = await closedPort(IP)
  const r = await run(spec('peer0.org1.baf.test', port, { protocol: 'tls', layers: ['dns', 'tcp', 'tls'] }))
  expect(r).toMatchObject({ outcome: 'fail', failedLayer: 'tcp', message: `connection to ${IP}:${port} refused` })
  expect(r.layers.map(l => l.layer)).toEqual(['dns', 'tcp'])
})

test('a definite refusal is never retried', async () => {
  const r = await run(spec(IP, await closedPort(IP)), { retries: 3, backoffMs: 1_000 })
  expect(r.attempts).toBe(1)
})

test('an inconclusive result (a hung backend) is retried with backoff, then fails on time', async () => {
  const h = keep(await hangingServer(IP))
  const started = Date.now()
  const r = await run(spec('hang.org1.baf.test', h.port, { protocol: 'tls', layers: ['tcp', 'tls'], target: { expectAddress: IP } }), { retries: 2, backoffMs: 50, connectTimeoutMs: 150 })
  const elapsed = Date.now() - started
  expect(r).toMatchObject({ outcome: 'fail', failedLayer: 'tls', attempts: 3 })
  expect(r.layers[1].detail).toMatch(/within 300 ms \(3 attempts\)$/)
  // each attempt made one connection (TCP handed to TLS), and each was closed again
  expect(h.accepted).toBe(3)
  // 3 handshakes of at most 300 ms plus 50 + 100 ms of backoff
  expect(elapsed).toBeGreaterThanOrEqual(900 + 150)
  expect(elapsed).toBeLessThan(2_500)
  await new Promise(r2 => setTimeout(r2, 50))
  expect(h.open).toBe(0)
})

describe('expected-deny probes', () => {
  test('a closed port passes: denied as expected', async () => {
    const r = await run(spec('baf-gateway.org1.baf.test', await closedPort(IP), { layers: ['dns', 'tcp'], expect: 'deny' }))
    expect(r).toMatchObject({ outcome: 'pass', message: 'denied as expected (refused)', attempts: 1 })
    expect(r.layers[1]).toMatchObject({ layer: 'tcp', status: 'pass' })
    expect(r.layers[1].detail).toMatch(/^denied as expected: connection to .* refused$/)
  })

  test('an open port fails with a clear message and a hint', async () => {
    const l = keep(await tcpListener(IP))
    const r = await run(spec('baf-gateway.org1.baf.test', l.port, { layers: ['dns', 'tcp'], expect: 'deny' }))
    expect(r).toMatchObject({ outcome: 'fail', failedLayer: 'tcp' })
    expect(r.message).toBe(`connected to ${IP}:${l.port}: the path is open but must be denied`)
    expect(r.layers[1].hint).toBe(`close port ${l.port} on baf-gateway.org1.baf.test (a firewall rule, or remove the listener from the gateway)`)
  })

  test('an unknown SNI refused during the handshake passes', async () => {
    const d = keep(await droppingServer(IP))
    const r = await run(spec('baf-unrouted.org1.baf.test', d.port, { protocol: 'tls', layers: ['dns', 'tcp', 'tls'], expect: 'deny', target: { sni: 'baf-unrouted.org1.baf.test' } }))
    expect(r).toMatchObject({ outcome: 'pass', message: 'denied as expected (sni-rejected)', attempts: 1 })
  })

  test('an unknown SNI answered with a default certificate passes', async () => {
    const s = keep(await tlsServer(IP, await ca.issue([], { cn: 'haproxy-default' })))
    const r = await run(spec('baf-unrouted.org1.baf.test', s.port, { protocol: 'tls', layers: ['dns', 'tcp', 'tls'], expect: 'deny' }))
    expect(r).toMatchObject({ outcome: 'pass', message: 'denied as expected (default-certificate)' })
  })

  test('an SNI that reaches a backend with a matching certificate fails: the route exists', async () => {
    const s = keep(await tlsServer(IP, await ca.issue(['*.org1.baf.test'])))
    const r = await run(spec('baf-unrouted.org1.baf.test', s.port, { protocol: 'tls', layers: ['dns', 'tcp', 'tls'], expect: 'deny' }))
    expect(r).toMatchObject({ outcome: 'fail', failedLayer: 'tls' })
    expect(r.message).toContain('SNI baf-unrouted.org1.baf.test routed to a backend presenting CN=*.org1.baf.test')
    expect(r.layers[2].hint).toContain('make unknown SNIs fall through to a reject backend')
  })

  test('a name that does not resolve leaves the denial untested: inconclusive, not pass', async () => {
    const r = await run(spec('baf-gateway.org9.baf.test', 2379, { layers: ['dns', 'tcp'], expect: 'deny' }))
    expect(r).toMatchObject({ outcome: 'inconclusive', failedLayer: 'dns' })
    expect(r.message).toMatch(/^the denial could not be tested: baf-gateway\.org9\.baf\.test does not resolve/)
  })
})

test('samples give per-layer p50/p95 and the layer time is the median', async () => {
  const s = keep(await tlsServer(IP, await ca.issue(['peer0.org1.baf.test'])))
  const r = await run(spec('peer0.org1.baf.test', s.port, { protocol: 'tls', layers: ['dns', 'tcp', 'tls'] }), { samples: 5 })
  expect(r.outcome).toBe('pass')
  for (const l of r.layers) {
    expect(l.samples).toMatchObject({ n: 5 })
    expect(l.ms).toBe(l.samples!.p50)
    expect(l.samples!.p95).toBeGreaterThanOrEqual(l.samples!.p50)
  }
})

test('the suite deadline stops a probe mid-layer: inconclusive, no retry', async () => {
  const h = keep(await hangingServer(IP))
  const stop = new AbortController()
  setTimeout(() => stop.abort(), 150)
  const started = Date.now()
  const r = await run(spec('hang.org1.baf.test', h.port, { protocol: 'tls', layers: ['tcp', 'tls'], target: { expectAddress: IP } }), { connectTimeoutMs: 5_000, retries: 3 }, stop.signal)
  expect(r).toMatchObject({ outcome: 'inconclusive', attempts: 1, message: 'stopped: the suite deadline was reached' })
  // far below the 5 s connect timeout it would otherwise wait out
  expect(Date.now() - started).toBeLessThan(4_000)
})

test('a fault inside a layer costs the probe, never the run', async () => {
  const r = await run(spec(IP, 1, { layers: ['warp' as never] }))
  expect(r.outcome).toBe('inconclusive')
  expect(r.message).toMatch(/^probe engine error: /)
})

test('one connection per probe: TCP hands it to TLS, TLS hands the checked session to the protocol', async () => {
  const { grpcServer, jsonRpcServer } = await import('./support/servers.js')
  const g = keep(await grpcServer(IP, await ca.issue(['peer0.org1.baf.test']), 'serving'))
  const grpc = await run(spec('peer0.org1.baf.test', g.port, { protocol: 'grpc', layers: ['dns', 'tcp', 'tls', 'protocol'] }), { ca: ca.cert })
  expect(grpc.outcome).toBe('pass')
  expect(g.accepted).toBe(1)
  const rpc = keep(await jsonRpcServer(IP, { web3_clientVersion: () => 'geth/v1.13' }))
  expect((await run(spec('rpc.org1.baf.test', rpc.port, { protocol: 'json-rpc', layers: ['dns', 'tcp', 'protocol'] }))).outcome).toBe('pass')
  expect(rpc.accepted).toBe(1)
  await new Promise(r => setTimeout(r, 50))
  expect([g.open, rpc.open]).toEqual([0, 0])
})

test('a probe that stops after TCP closes the connection it would have handed on', async () => {
  const l = keep(await tcpListener(IP))
  const r = await run(spec('peer0.org1.baf.test', l.port, { protocol: 'tls', layers: ['dns', 'tcp', 'tls'] }), { connectTimeoutMs: 100 })
  expect(r).toMatchObject({ outcome: 'fail', failedLayer: 'tls' })
  await new Promise(r2 => setTimeout(r2, 50))
  expect(l.open).toBe(0)
})

test('an impossible target (port 70000) is reported at once, not after its timeout', async () => {
  const started = Date.now()
  const r = await run(spec(IP, 70000), { connectTimeoutMs: 5_000 })
  expect(r.outcome).toBe('inconclusive')
  expect(r.message).toMatch(/^probe engine error: .*70000/)
  // far below the 5 s connect timeout it would otherwise wait out
  expect(Date.now() - started).toBeLessThan(4_000)
})
