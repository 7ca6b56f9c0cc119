// Each layer against real servers on 127.0.76.x: a DNS server, TCP listeners, TLS servers with
// certificates from our own CA, an HTTP/2 gRPC server, JSON-RPC and a server that never answers.

import { dltLayer } from '../../../src/probe/layers/dlt.js'
import { dnsLayer } from '../../../src/probe/layers/dns.js'
import { protocolLayer } from '../../../src/probe/layers/protocol.js'
import { tcpLayer } from '../../../src/probe/layers/tcp.js'
import { tlsLayer } from '../../../src/probe/layers/tls.js'
import { dnsServer } from './support/dns-server.js'
import type { DnsServer } from './support/dns-server.js'
import { createCa, expired } from './support/pki.js'
import type { TestCa } from './support/pki.js'
import { closedPort, droppingServer, grpcServer, hangingServer, httpServer, jsonRpcServer, tcpListener, tlsServer } from './support/servers.js'
import type { Running } from './support/servers.js'
import { ctx, spec } from './support/specs.js'
import type { DltExpectations } from '../../../src/probe/types.js'

const IP = '127.0.76.1'
const servers: Running[] = []
const keep = <T extends Running>(s: T): T => {
  servers.push(s)
  return s
}
let ca: TestCa
let otherCa: TestCa
let dns: DnsServer

beforeAll(async () => {
  ca = await createCa('org1-tls-ca')
  otherCa = await createCa('someone-else-ca')
  dns = await dnsServer(IP, { 'peer0.org1.baf.test': IP, 'wrong.org1.baf.test': '127.0.76.99' })
})

afterAll(async () => {
  await Promise.all(servers.map(s => s.close()))
  await dns.close()
})

describe('dns', () => {
  test('resolves through the given resolver and matches the expected gateway address', async () => {
    const r = await dnsLayer(ctx(spec('peer0.org1.baf.test', 443, { target: { expectAddress: IP } }), { resolver: dns.resolver }))
    expect(r).toMatchObject({ status: 'pass', address: IP })
    expect(r.detail).toContain('the expected gateway address')
  })

  test('a different answer fails, naming both addresses and the suffix to fix', async () => {
    const r = await dnsLayer(ctx(spec('wrong.org1.baf.test', 443, { target: { expectAddress: IP } }), { resolver: dns.resolver }))
    expect(r.status).toBe('fail')
    expect(r.detail).toBe(`wrong.org1.baf.test resolves to 127.0.76.99; expected the gateway address ${IP}`)
    expect(r.hint).toContain('*.org1.baf.test')
  })

  test('NXDOMAIN fails with a hint to wire the suffix', async () => {
    const r = await dnsLayer(ctx(spec('ghost.org9.baf.test', 443), { resolver: dns.resolver }))
    expect(r.status).toBe('fail')
    expect(r.detail).toContain('does not resolve (NXDOMAIN)')
    expect(r.hint).toContain('add *.org9.baf.test to the cross-cluster DNS')
  })

  test('a resolver that never answers is inconclusive within the connect timeout', async () => {
    const silent = await dnsServer('127.0.76.2', {}, 60_000)
    const started = Date.now()
    const r = await dnsLayer(ctx(spec('peer0.org1.baf.test', 443), { resolver: silent.resolver, connectTimeoutMs: 300 }))
    await silent.close()
    expect(r.status).toBe('inconclusive')
    // far below the silent resolver's 60 s
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  test('an address needs no resolving', async () => {
    expect(await dnsLayer(ctx(spec(IP, 1)))).toMatchObject({ status: 'pass', address: IP })
  })
})

describe('tcp', () => {
  test('a listener passes; a closed port is a definite refusal', async () => {
    const l = keep(await tcpListener(IP))
    expect((await tcpLayer(ctx(spec(IP, l.port)))).status).toBe('pass')
    const closed = await closedPort(IP)
    const r = await tcpLayer(ctx(spec(IP, closed)))
    expect(r).toMatchObject({ status: 'fail', denied: 'refused', detail: `connection to ${IP}:${closed} refused` })
    expect(r.hint).toContain(`nothing listens on port ${closed}`)
  })

  test('the suite deadline stops a check at once', async () => {
    const stop = new AbortController()
    stop.abort()
    const r = await tcpLayer(ctx(spec(IP, 9), {}, IP, stop.signal))
    expect(r).toMatchObject({ status: 'inconclusive', aborted: true })
  })
})

describe('tls', () => {
  test('a certificate from the expected CA matching the SNI passes, with subject, issuer, expiry and ALPN', async () => {
    const s = keep(await tlsServer(IP, await ca.issue(['peer0.org1.baf.test'])))
    const r = await tlsLayer(ctx(spec('peer0.org1.baf.test', s.port, { protocol: 'grpc', layers: ['tls'], target: { expectAddress: IP } }), { ca: ca.cert }))
    expect(r.status).toBe('pass')
    expect(r.detail).toMatch(/^CN=peer0\.org1\.baf\.test \(SAN DNS:peer0\.org1\.baf\.test\), issuer CN=org1-tls-ca, expires \d{4}-\d\d-\d\d, TLSv1\.3, ALPN h2, chain verified$/)
  })

  test('without an expected CA the chain is recorded, not enforced', async () => {
    const s = keep(await tlsServer(IP, await otherCa.issue(['peer1.org1.baf.test'])))
    const r = await tlsLayer(ctx(spec('peer1.org1.baf.test', s.port, { protocol: 'tls', target: { expectAddress: IP } })))
    expect(r.status).toBe('pass')
    expect(r.detail).toContain('chain not verified (no CA given)')
  })

  test('a certificate from another CA fails with the verification error', async () => {
    const s = keep(await tlsServer(IP, await otherCa.issue(['peer0.org1.baf.test'])))
    const r = await tlsLayer(ctx(spec('peer0.org1.baf.test', s.port, { protocol: 'tls', target: { expectAddress: IP } }), { ca: ca.cert }))
    expect(r.status).toBe('fail')
    expect(r.detail).toMatch(/issuer CN=someone-else-ca does not chain to the expected CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/)
    expect(r.hint).toContain('certificate from another CA')
  })

  test('an expired certificate fails with its date', async () => {
    const s = keep(await tlsServer(IP, await ca.issue(['old.org1.baf.test'], expired())))
    const r = await tlsLayer(ctx(spec('old.org1.baf.test', s.port, { protocol: 'tls', target: { expectAddress: IP } }), { ca: ca.cert }))
    expect(r.status).toBe('fail')
    expect(r.detail).toMatch(/expired on \d{4}-/)
    expect(r.hint).toBe('renew the TLS certificate of old.org1.baf.test')
  })

  test('a default certificate for any SNI is recognised as "SNI not routed"', async () => {
    const s = keep(await tlsServer(IP, await otherCa.issue([], { cn: 'haproxy-default' })))
    const r = await tlsLayer(ctx(spec('peer7.org1.baf.test', s.port, { protocol: 'tls', target: { expectAddress: IP } }), { ca: ca.cert }))
    expect(r).toMatchObject({ status: 'fail', denied: 'default-certificate' })
    expect(r.detail).toContain('certificate CN=haproxy-default (SAN none), issuer CN=someone-else-ca does not match SNI peer7.org1.baf.test')
    expect(r.detail).toContain('SNI peer7.org1.baf.test is not routed')
  })

  test('a server that accepts and never answers the ClientHello times out', async () => {
    const h = keep(await hangingServer(IP))
    const started = Date.now()
    const r = await tlsLayer(ctx(spec('hang.org1.baf.test', h.port, { protocol: 'tls', target: { expectAddress: IP } }), { connectTimeoutMs: 200 }))
    expect(r).toMatchObject({ status: 'inconclusive', denied: 'timeout' })
    expect(Date.now() - started).toBeLessThan(1_500)
  })

  test('a connection closed during the handshake is an SNI rejection', async () => {
    const d = keep(await droppingServer(IP))
    const r = await tlsLayer(ctx(spec('nope.org1.baf.test', d.port, { protocol: 'tls', target: { expectAddress: IP } })))
    expect(r).toMatchObject({ status: 'inconclusive', denied: 'sni-rejected' })
    expect(r.hint).toContain('no gateway route matches SNI nope.org1.baf.test')
  })
})

describe('protocol', () => {
  test.each([
    ['serving', 'pass', 'gRPC health: SERVING'],
    ['unimplemented', 'pass', 'gRPC server answered UNIMPLEMENTED for /grpc.health.v1.Health/Check (no health service): a gRPC server is behind the gateway'],
    ['not-serving', 'fail', 'gRPC health: NOT_SERVING']
  ] as const)('gRPC %s over TLS with ALPN h2 -> %s', async (mode, status, detail) => {
    const g = keep(await grpcServer(IP, await ca.issue(['peer0.org1.baf.test']), mode))
    const r = await protocolLayer(ctx(spec('peer0.org1.baf.test', g.port, { protocol: 'grpc', layers: ['tls', 'protocol'], target: { expectAddress: IP } })))
    expect(r).toMatchObject({ status, detail })
  })

  test('gRPC against an HTTP/1 TLS server is "not gRPC", not a pass', async () => {
    const s = keep(await tlsServer(IP, await ca.issue(['peer0.org1.baf.test']), { alpn: ['http/1.1'] }))
    const r = await protocolLayer(ctx(spec('peer0.org1.baf.test', s.port, { protocol: 'grpc', layers: ['tls', 'protocol'], target: { expectAddress: IP } })))
    expect(r).toMatchObject({ status: 'fail', detail: 'TLS without HTTP/2 (the server refused ALPN h2: no application protocol)' })
  })

  test.each([
    [200, 'pass'],
    [401, 'pass'],
    [404, 'fail'],
    [503, 'fail']
  ])('HTTP %i -> %s, routed by the Host header', async (code, status) => {
    let host = ''
    const s = keep(
      await httpServer(IP, (req, _b, res) => {
        host = String(req.headers.host)
        res.statusCode = code
        res.end()
      })
    )
    const r = await protocolLayer(ctx(spec('rpc.org1.baf.test', s.port, { protocol: 'http', target: { expectAddress: IP } })))
    expect(r.status).toBe(status)
    expect(host).toBe(`rpc.org1.baf.test:${s.port}`)
    if (code === 503) expect(r.hint).toContain('no healthy backend')
  })

  test('JSON-RPC: web3_clientVersion answers; a non-JSON-RPC body fails', async () => {
    const rpc = keep(await jsonRpcServer(IP, { web3_clientVersion: () => 'besu/v24.1.0' }))
    expect(await protocolLayer(ctx(spec('rpc.org1.baf.test', rpc.port, { protocol: 'json-rpc', target: { expectAddress: IP } })))).toMatchObject({ status: 'pass', detail: 'JSON-RPC answers: besu/v24.1.0' })
    const web = keep(await httpServer(IP, (_r, _b, res) => res.end('<html>hello</html>')))
    const r = await protocolLayer(ctx(spec('rpc.org1.baf.test', web.port, { protocol: 'json-rpc', target: { expectAddress: IP } })))
    expect(r.status).toBe('fail')
    expect(r.hint).toContain("node's RPC port")
  })

  test('a backend that never answers costs the request timeout', async () => {
    const h = keep(await hangingServer(IP))
    const started = Date.now()
    const r = await protocolLayer(ctx(spec('rpc.org1.baf.test', h.port, { protocol: 'json-rpc', target: { expectAddress: IP } }), { requestTimeoutMs: 300 }))
    expect(r.status).toBe('inconclusive')
    expect(r.detail).toContain('no answer from')
    expect(Date.now() - started).toBeLessThan(1_500)
  })
})

describe('dlt', () => {
  const besu = (over: { peers?: number; advancing?: boolean; validators?: string[] | 'missing' } = {}): Record<string, (p: unknown[]) => unknown> => {
    let block = 100
    const answers: Record<string, (p: unknown[]) => unknown> = {
      net_peerCount: () => `0x${(over.peers ?? 3).toString(16)}`,
      eth_blockNumber: () => `0x${(over.advancing === false ? block : block++).toString(16)}`
    }
    if (over.validators !== 'missing') answers.qbft_getValidatorsByBlockNumber = () => over.validators ?? ['0x1', '0x2', '0x3', '0x4']
    return answers
  }
  const rpcSpec = (port: number, dlt: Omit<DltExpectations, 'platform'> = {}) => spec('rpc.org1.baf.test', port, { protocol: 'json-rpc', layers: ['dlt'], target: { expectAddress: IP }, dlt: { platform: 'besu', ...dlt } })

  test('peers, advancing blocks and the validator set pass', async () => {
    const s = keep(await jsonRpcServer(IP, besu()))
    const r = await dltLayer(ctx(rpcSpec(s.port, { minPeers: 2, validators: 4 })))
    expect(r.status).toBe('pass')
    expect(r.detail).toMatch(/^peers 3 \(>= 2\), block 100 -> 10[1-9] in \d+\.\d s, 4 validators \(qbft_getValidatorsByBlockNumber\)$/)
  })

  test('too few peers fail with a P2P hint', async () => {
    const s = keep(await jsonRpcServer(IP, besu({ peers: 0 })))
    const r = await dltLayer(ctx(rpcSpec(s.port, { minPeers: 1 })))
    expect(r).toMatchObject({ status: 'fail', detail: 'net_peerCount 0, expected at least 1' })
    expect(r.hint).toContain('P2P ports')
  })

  test('fewer peers than the other nodes of the full mesh fail, saying what to check', async () => {
    const s = keep(await jsonRpcServer(IP, besu({ peers: 3 })))
    const r = await dltLayer(ctx(rpcSpec(s.port, { minPeers: 5 })))
    expect(r).toMatchObject({ status: 'fail', detail: 'net_peerCount 3, expected at least 5' })
    expect(r.hint).toMatch(/^the node is not connected to its peers: check the P2P ports/)
    for (const what of ['static-nodes', 'bootnodes', "gateway has a TCP route to every node's P2P port"]) expect(r.hint).toContain(what)
    expect((await dltLayer(ctx(rpcSpec(s.port, { minPeers: 3 })))).status).toBe('pass')
  })

  test('a block number that does not advance fails after the bounded wait', async () => {
    const s = keep(await jsonRpcServer(IP, besu({ advancing: false })))
    const started = Date.now()
    const r = await dltLayer(ctx(rpcSpec(s.port, { minPeers: 1 }), { blockWaitMs: 600 }))
    expect(r.status).toBe('fail')
    expect(r.detail).toMatch(/^eth_blockNumber stuck at 100 for 0\.\d s \(peers 3\)$/)
    expect(r.hint).toContain('the chain produces no blocks')
    expect(Date.now() - started).toBeLessThan(3_000)
  })

  test('a wrong validator count fails; no validator API fails with the API to enable', async () => {
    const three = keep(await jsonRpcServer(IP, besu({ validators: ['0x1', '0x2', '0x3'] })))
    expect(await dltLayer(ctx(rpcSpec(three.port, { validators: 4 })))).toMatchObject({ status: 'fail', detail: 'qbft_getValidatorsByBlockNumber lists 3 validator(s), expected 4' })
    const none = keep(await jsonRpcServer(IP, besu({ validators: 'missing' })))
    const r = await dltLayer(ctx(rpcSpec(none.port, { validators: 4 })))
    expect(r.status).toBe('fail')
    expect(r.hint).toContain('enable QBFT, IBFT or CLIQUE in --rpc-http-api')
  })

  const ADDR = ['a1', 'b2', 'c3', 'd4'].map(pair => `0x${pair.repeat(20)}`)
  const validatorSet = (addresses: (string | undefined)[]) => addresses.map((address, i) => ({ org: 'operator', node: `validator-${i + 1}`, ...(address ? { address } : {}) }))

  test('the validator set as deployed passes, addresses compared case-insensitively', async () => {
    const s = keep(await jsonRpcServer(IP, besu({ validators: [ADDR[2], ADDR[0], `0x${ADDR[3].slice(2).toUpperCase()}`, ADDR[1]] })))
    const r = await dltLayer(ctx(rpcSpec(s.port, { minPeers: 1, validators: 4, validatorSet: validatorSet(ADDR) })))
    expect(r.status).toBe('pass')
    expect(r.detail).toMatch(/, 4 validators as deployed \(qbft_getValidatorsByBlockNumber\)$/)
    // mixed case on the expected side too (checksummed addresses)
    const mixed = validatorSet(['0xAaAaaAAaAAaaaAaAAAaAAaAaAAAaAaaaaAAaaAAa', ADDR[1]])
    const t = keep(await jsonRpcServer(IP, besu({ validators: ['0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', ADDR[1]] })))
    expect((await dltLayer(ctx(rpcSpec(t.port, { validators: 2, validatorSet: mixed })))).status).toBe('pass')
  })

  test('a different validator set fails naming the missing and the unexpected addresses', async () => {
    const intruder = '0x9999999999999999999999999999999999999999'
    const s = keep(await jsonRpcServer(IP, besu({ validators: [ADDR[0], ADDR[1], intruder, ADDR[3]] })))
    const r = await dltLayer(ctx(rpcSpec(s.port, { validators: 4, validatorSet: validatorSet(ADDR) })))
    expect(r).toMatchObject({ status: 'fail', detail: `qbft_getValidatorsByBlockNumber lists 4 validator(s), expected 4: missing operator/validator-3 ${ADDR[2]}; unexpected ${intruder}` })
    expect(r.hint).toContain('genesis extraData')
    // a count that matches is no excuse; one fewer names only the missing one
    const three = keep(await jsonRpcServer(IP, besu({ validators: ADDR.slice(0, 3) })))
    expect((await dltLayer(ctx(rpcSpec(three.port, { validators: 4, validatorSet: validatorSet(ADDR) })))).detail).toBe(
      `qbft_getValidatorsByBlockNumber lists 3 validator(s), expected 4: missing operator/validator-4 ${ADDR[3]}`
    )
  })

  test('without every address (Bevel charts) the count is compared', async () => {
    const s = keep(await jsonRpcServer(IP, besu({ validators: ['0xa', '0xb', '0xc', '0xd'] })))
    const unknown = validatorSet([ADDR[0], undefined, ADDR[2], ADDR[3]])
    const pass = await dltLayer(ctx(rpcSpec(s.port, { validators: 4, validatorSet: unknown })))
    expect(pass.status).toBe('pass')
    expect(pass.detail).toMatch(/, 4 validators \(qbft_getValidatorsByBlockNumber\)$/)
    expect(await dltLayer(ctx(rpcSpec(s.port, { validators: 5, validatorSet: validatorSet([undefined, undefined]) })))).toMatchObject({
      status: 'fail',
      detail: 'qbft_getValidatorsByBlockNumber lists 4 validator(s), expected 5'
    })
  })

  test('clique networks answer clique_getSigners', async () => {
    const s = keep(await jsonRpcServer(IP, { ...besu({ validators: 'missing' }), clique_getSigners: () => ['0xa', '0xb'] }))
    expect((await dltLayer(ctx(rpcSpec(s.port, { validators: 2 })))).detail).toContain('2 validators (clique_getSigners)')
  })

  test('a disabled NET API is named', async () => {
    const s = keep(await jsonRpcServer(IP, { eth_blockNumber: () => '0x1' }))
    const r = await dltLayer(ctx(rpcSpec(s.port)))
    expect(r.status).toBe('fail')
    expect(r.hint).toBe('enable the NET API on the node (Besu: --rpc-http-api=NET,...)')
  })

  test('Fabric: /healthz OK passes, 503 with failed_checks fails naming them', async () => {
    let healthy = true
    const s = keep(
      await httpServer(IP, (req, _b, res) => {
        res.setHeader('content-type', 'application/json')
        if (req.url !== '/healthz') res.statusCode = 404
        else if (healthy) res.end(JSON.stringify({ status: 'OK', time: new Date().toISOString() }))
        else {
          res.statusCode = 503
          res.end(JSON.stringify({ status: 'Service Unavailable', failed_checks: [{ component: 'couchdb', reason: 'failed to connect' }] }))
        }
        if (!res.writableEnded) res.end()
      })
    )
    const fabric = spec('peer0-ops.org1.baf.test', s.port, { protocol: 'http', layers: ['dlt'], target: { expectAddress: IP }, dlt: { platform: 'fabric' } })
    expect(await dltLayer(ctx(fabric))).toMatchObject({ status: 'pass', detail: '/healthz: OK' })
    healthy = false
    expect(await dltLayer(ctx(fabric))).toMatchObject({ status: 'fail', detail: '/healthz: couchdb: failed to connect' })
  })

  test('platforms without a ledger check skip, saying so', async () => {
    expect(await dltLayer(ctx(spec(IP, 1, { layers: ['dlt'], dlt: { platform: 'corda' } })))).toMatchObject({ status: 'skip', detail: 'no ledger-level check for corda yet' })
  })
})
