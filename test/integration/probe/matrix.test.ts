// A full matrix through real parts: three "clusters" whose gateways are one HAProxy doing SNI
// passthrough on 127.0.77.1-3, dnsmasq answering for their DNS suffixes, TLS and gRPC backends
// with certificates from each org's CA, and ganache as the JSON-RPC node (advancing behind alpha
// and beta, stuck behind gamma). Includes every fault the issue lists and the expected denials.

import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { toJUnit } from '../../../src/probe/junit.js'
import { probeMatrix } from '../../../src/probe/matrix.js'
import { probeOptions } from '../../../src/probe/options.js'
import { runProbes } from '../../../src/probe/suite.js'
import { failureLines } from '../../../src/probe/summary.js'
import type { ProbeRun, ProbeSpec } from '../../../src/probe/types.js'
import { createCa, expired } from '../../unit/probe/support/pki.js'
import { grpcServer, hangingServer, tcpListener, tlsServer } from '../../unit/probe/support/servers.js'
import type { Running } from '../../unit/probe/support/servers.js'
import { startDnsmasq, startGanache, startHaproxy } from './world.js'
import type { Ganache, GatewaySpec, Proc } from './world.js'

const BACKEND = '127.0.77.100'
const GW = { alpha: '127.0.77.1', beta: '127.0.77.2', gamma: '127.0.77.3' } as const
type Cluster = keyof typeof GW
const CLUSTERS = Object.keys(GW) as Cluster[]
const TLS_PORT = 8443
const HTTP_PORT = 8080
const P2P_PORT = 15010
const DENY_PORT = 12379

const servers: Running[] = []
const procs: Proc[] = []
let resolver = ''
let caBundle = ''
let run: ProbeRun

function probe(from: Cluster, to: Cluster, host: string, port: number, over: Omit<Partial<ProbeSpec>, 'target'> & { target?: Partial<ProbeSpec['target']> } = {}): ProbeSpec {
  const { target, ...rest } = over
  return { id: `${from}->${host}:${port}`, from, protocol: 'tcp', layers: ['dns', 'tcp'], expect: 'allow', required: true, reason: 'matrix test', ...rest, target: { host, port, cluster: to, expectAddress: GW[to], ...target } }
}

function plan(): ProbeSpec[] {
  const specs: ProbeSpec[] = []
  for (const from of CLUSTERS) {
    for (const to of CLUSTERS.filter(c => c !== from)) {
      const sfx = `${to}.baf.test`
      if (to === 'gamma') specs.push(probe(from, to, `orderer0.${sfx}`, TLS_PORT, { protocol: 'tls', layers: ['dns', 'tcp', 'tls'], target: { sni: `orderer0.${sfx}`, endpoint: 'orderer' } }))
      else specs.push(probe(from, to, `peer0.${sfx}`, TLS_PORT, { protocol: 'grpc', layers: ['dns', 'tcp', 'tls', 'protocol'], target: { sni: `peer0.${sfx}`, endpoint: 'grpc' } }))
      specs.push(probe(from, to, `rpc0.${sfx}`, HTTP_PORT, { protocol: 'json-rpc', layers: ['dns', 'tcp', 'protocol', 'dlt'], dlt: { platform: 'besu', minPeers: 0 }, target: { endpoint: 'rpc' } }))
      specs.push(probe(from, to, `p2p0.${sfx}`, P2P_PORT, { target: { endpoint: 'p2p' } }))
      specs.push(probe(from, to, `baf-unrouted.${sfx}`, TLS_PORT, { protocol: 'tls', layers: ['dns', 'tcp', 'tls'], expect: 'deny', target: { sni: `baf-unrouted.${sfx}` } }))
      specs.push(probe(from, to, `baf-gateway.${sfx}`, DENY_PORT, { expect: 'deny' }))
    }
  }
  // the faults, from alpha
  const tls = (host: string, to: Cluster): ProbeSpec => probe('alpha', to, host, TLS_PORT, { protocol: 'tls', layers: ['dns', 'tcp', 'tls'], target: { sni: host } })
  specs.push(tls('wrongca.beta.baf.test', 'beta'), tls('expired.beta.baf.test', 'beta'), tls('hang.beta.baf.test', 'beta'), tls('misdirected.gamma.baf.test', 'gamma'))
  specs.push(probe('alpha', 'gamma', 'ghost.delta.baf.test', P2P_PORT))
  specs.push(probe('alpha', 'beta', 'p2p1.beta.baf.test', P2P_PORT + 1, { target: { endpoint: 'p2p' } }))
  return specs
}

beforeAll(async () => {
  const keep = <T extends Running>(s: T): T => {
    servers.push(s)
    return s
  }
  const cas = { alpha: await createCa('alpha-tls-ca'), beta: await createCa('beta-tls-ca'), gamma: await createCa('gamma-tls-ca') }
  const rogue = await createCa('rogue-ca')
  caBundle = cas.alpha.cert + cas.beta.cert + cas.gamma.cert
  const at = (s: Running): string => `${BACKEND}:${s.port}`
  const [advancing, stuck] = await Promise.all([startGanache(BACKEND, 1), startGanache(BACKEND)])
  procs.push(advancing.proc, stuck.proc)
  const rpc: Record<Cluster, Ganache> = { alpha: advancing, beta: advancing, gamma: stuck }
  const p2p = keep(await tcpListener(BACKEND))
  const exposed = keep(await tcpListener(BACKEND))
  const gateways: GatewaySpec[] = []
  for (const c of CLUSTERS) {
    const sfx = `${c}.baf.test`
    const routes: Record<string, string> = {}
    if (c === 'gamma') routes[`orderer0.${sfx}`] = at(keep(await tlsServer(BACKEND, await cas.gamma.issue([`orderer0.${sfx}`]))))
    else routes[`peer0.${sfx}`] = at(keep(await grpcServer(BACKEND, await cas[c].issue([`peer0.${sfx}`]), c === 'alpha' ? 'unimplemented' : 'serving')))
    if (c === 'beta') {
      routes[`wrongca.${sfx}`] = at(keep(await tlsServer(BACKEND, await rogue.issue([`wrongca.${sfx}`]))))
      routes[`expired.${sfx}`] = at(keep(await tlsServer(BACKEND, await cas.beta.issue([`expired.${sfx}`], expired()))))
      routes[`hang.${sfx}`] = at(keep(await hangingServer(BACKEND)))
    }
    // gamma's gateway answers unknown SNIs with a default certificate instead of rejecting them
    const fallback = c === 'gamma' ? at(keep(await tlsServer(BACKEND, await rogue.issue([], { cn: 'haproxy-default' })))) : undefined
    gateways.push({
      name: c,
      address: GW[c],
      tls: { port: TLS_PORT, routes, fallback },
      http: { port: HTTP_PORT, routes: { [`rpc0.${sfx}`]: rpc[c].address } },
      // gamma exposes a port tenant isolation should close
      tcp: c === 'gamma' ? { [P2P_PORT]: at(p2p), [DENY_PORT]: at(exposed) } : { [P2P_PORT]: at(p2p) }
    })
  }
  procs.push(await startHaproxy(gateways))
  const dns = await startDnsmasq('127.0.77.53', 5353, { 'alpha.baf.test': GW.alpha, 'beta.baf.test': GW.beta, 'gamma.baf.test': GW.gamma, 'misdirected.gamma.baf.test': '127.0.77.99' }, ['baf.test'])
  procs.push(dns.proc)
  resolver = dns.resolver
  run = await runProbes(plan(), probeOptions({ resolver, ca: caBundle, connectTimeoutMs: 500, requestTimeoutMs: 3_000, retries: 1, backoffMs: 100, blockWaitMs: 2_500, deadlineMs: 60_000 }))
}, 120_000)

afterAll(async () => {
  await Promise.all(servers.map(s => s.close()))
  await Promise.all(procs.map(p => p.stop()))
  for (const p of procs) expect(p.child.exitCode !== null || p.child.signalCode !== null).toBe(true)
}, 30_000)

const byId = (id: string) => run.results.find(r => r.id === id)!

test('every open path through the gateways passes every layer', () => {
  for (const from of CLUSTERS) {
    for (const to of CLUSTERS.filter(c => c !== from)) {
      const tlsHost = to === 'gamma' ? 'orderer0' : 'peer0'
      expect([`${from}->${tlsHost}.${to}.baf.test:${TLS_PORT}`, byId(`${from}->${tlsHost}.${to}.baf.test:${TLS_PORT}`).outcome]).toEqual([expect.any(String), 'pass'])
      expect(byId(`${from}->p2p0.${to}.baf.test:${P2P_PORT}`).outcome).toBe('pass')
      if (to !== 'gamma') expect(byId(`${from}->rpc0.${to}.baf.test:${HTTP_PORT}`).outcome).toBe('pass')
    }
  }
  const grpc = byId(`beta->peer0.alpha.baf.test:${TLS_PORT}`)
  expect(grpc.layers.map(l => [l.layer, l.status])).toEqual([
    ['dns', 'pass'],
    ['tcp', 'pass'],
    ['tls', 'pass'],
    ['protocol', 'pass']
  ])
  expect(grpc.layers[2].detail).toMatch(/^CN=peer0\.alpha\.baf\.test .*issuer CN=alpha-tls-ca.*ALPN h2, chain verified$/)
  expect(grpc.layers[3].detail).toContain('UNIMPLEMENTED')
  expect(byId(`alpha->peer0.beta.baf.test:${TLS_PORT}`).layers[3].detail).toBe('gRPC health: SERVING')
  const rpc = byId(`alpha->rpc0.beta.baf.test:${HTTP_PORT}`)
  expect(rpc.layers[2].detail).toMatch(/^JSON-RPC answers: Ganache\/v7\.9\.2/)
  expect(rpc.layers[3].detail).toMatch(/^peers 0 \(>= 0\), block \d+ -> \d+ in \d\.\d s$/)
})

test('expected denials: unknown SNI rejected or answered with the default certificate, closed port', () => {
  expect(byId(`alpha->baf-unrouted.beta.baf.test:${TLS_PORT}`)).toMatchObject({ outcome: 'pass', message: 'denied as expected (sni-rejected)' })
  expect(byId(`alpha->baf-unrouted.gamma.baf.test:${TLS_PORT}`)).toMatchObject({ outcome: 'pass', message: 'denied as expected (default-certificate)' })
  expect(byId(`gamma->baf-gateway.alpha.baf.test:${DENY_PORT}`)).toMatchObject({ outcome: 'pass', message: 'denied as expected (refused)' })
})

test('a path that must be denied but is open fails with the port to close', () => {
  const open = byId(`beta->baf-gateway.gamma.baf.test:${DENY_PORT}`)
  expect(open).toMatchObject({ outcome: 'fail', failedLayer: 'tcp' })
  expect(open.layers[1].hint).toBe(`close port ${DENY_PORT} on baf-gateway.gamma.baf.test (a firewall rule, or remove the listener from the gateway)`)
})

test('RPC up while blocks do not advance fails at the dlt layer with a hint', () => {
  const stuck = byId(`alpha->rpc0.gamma.baf.test:${HTTP_PORT}`)
  expect(stuck).toMatchObject({ outcome: 'fail', failedLayer: 'dlt' })
  expect(stuck.layers[3].detail).toMatch(/^eth_blockNumber stuck at 0 for 2\.\d s \(peers 0\)$/)
  expect(stuck.layers[3].hint).toContain('the chain produces no blocks')
})

test.each([
  ['wrongca.beta.baf.test', 'tls', /does not chain to the expected CA/],
  ['expired.beta.baf.test', 'tls', /expired on/],
  ['hang.beta.baf.test', 'tls', /no TLS handshake .* within 1000 ms \(2 attempts\)$/],
  ['misdirected.gamma.baf.test', 'dns', /resolves to 127\.0\.77\.99; expected the gateway address 127\.0\.77\.3/],
  ['ghost.delta.baf.test', 'dns', /does not resolve \(NXDOMAIN\)/]
])('%s fails at %s', (host, layer, detail) => {
  const r = run.results.find(x => x.spec.target.host === host)!
  expect(r).toMatchObject({ outcome: 'fail', failedLayer: layer })
  expect(r.layers.find(l => l.layer === layer)!.detail).toMatch(detail)
})

test('a closed port on an allowed path is a definite refusal, not retried', () => {
  expect(byId(`alpha->p2p1.beta.baf.test:${P2P_PORT + 1}`)).toMatchObject({ outcome: 'fail', failedLayer: 'tcp', attempts: 1 })
})

test('the run: counts, verdict, failure lines, JUnit and matrix', async () => {
  expect(run.summary).toEqual({ total: 36, passed: 26, failed: 10, inconclusive: 0, skipped: 0, requiredFailed: 10 })
  expect(run.verdict).toBe('fail')
  const lines = failureLines(run)
  expect(lines).toHaveLength(10)
  expect(lines).toContain(`alpha -> rpc0.gamma.baf.test:${HTTP_PORT} [dlt] ${byId(`alpha->rpc0.gamma.baf.test:${HTTP_PORT}`).layers[3].detail} (the chain produces no blocks: check that enough validators are up and peered (QBFT/IBFT need more than 2/3 of them) and their logs)`)

  const m = probeMatrix(run)
  expect(m.sources).toEqual(['alpha', 'beta', 'gamma'])
  expect(m.cells.alpha.beta).toMatchObject({ total: 9, passed: 5, failed: 4 })
  expect(m.cells.beta.gamma).toMatchObject({ total: 5, passed: 3, failed: 2 })
  expect(m.cells.gamma.alpha).toMatchObject({ total: 5, passed: 5, failed: 0, p50Ms: expect.any(Number) })

  // the JUnit file is well-formed XML with a testsuite per source (checked by Python's parser)
  const file = join(mkdtempSync(join(tmpdir(), 'baf-junit-')), 'junit.xml')
  writeFileSync(file, toJUnit(run))
  const { stdout } = await promisify(execFile)('python3', ['-c', 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); print(r.get("tests"), r.get("failures"), [s.get("name")+":"+s.get("tests") for s in r])', file])
  expect(stdout.trim()).toBe("36 10 ['from alpha:16', 'from beta:10', 'from gamma:10']")
})
