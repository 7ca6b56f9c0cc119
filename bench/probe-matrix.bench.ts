// P4: the probe matrix of 3 clusters x 20 endpoints x 4 layers (DNS, TCP, TLS, HTTP) against
// local servers that each add a fixed delay (DNS answer, TLS handshake, HTTP response), run with
// the engine's defaults. The servers run in a child process, as real gateways run elsewhere, so
// their CPU is not charged to the engine. Prints wall time of the matrix / the slowest single
// probe run alone, last (design target <= 2; one probe after another would be ~60).

import { spawn } from 'node:child_process'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { createSecureContext } from 'node:tls'

import { probeOptions } from '../src/probe/options.js'
import { runProbe } from '../src/probe/probe.js'
import { runProbes } from '../src/probe/suite.js'
import type { ProbeSpec } from '../src/probe/types.js'
import { dnsServer } from '../test/unit/probe/support/dns-server.js'
import { createCa } from '../test/unit/probe/support/pki.js'

const DELAY_MS = 100
const CLUSTERS = ['c1', 'c2', 'c3']
const ENDPOINTS = 20
const gateway = (i: number): string => `127.0.80.${i + 1}`
const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

/** child process: one slow HTTPS "gateway" per cluster and a slow DNS server; prints their ports */
async function serve(): Promise<void> {
  const ca = await createCa('bench-ca')
  const ports: number[] = []
  const closers: (() => Promise<unknown>)[] = []
  for (const [i, c] of CLUSTERS.entries()) {
    const pem = await ca.issue([`*.${c}.bench.test`])
    const context = createSecureContext({ cert: pem.cert, key: pem.key })
    const server = createServer({ cert: pem.cert, key: pem.key, SNICallback: (_name, cb) => void sleep(DELAY_MS).then(() => cb(null, context)) }, (_req, res) => void sleep(DELAY_MS).then(() => res.end('ok')))
    await new Promise<void>(r => server.listen(0, gateway(i), () => r()))
    ports.push((server.address() as AddressInfo).port)
    closers.push(() => new Promise(r => server.close(r)))
  }
  const dns = await dnsServer('127.0.80.53', Object.fromEntries(CLUSTERS.map((c, i) => [`*.${c}.bench.test`, gateway(i)])), DELAY_MS)
  closers.push(() => dns.close())
  process.stdout.write(JSON.stringify({ ports, resolver: dns.resolver }) + '\n')
  // the parent closes stdin when it is done
  process.stdin.resume()
  process.stdin.on('end', () => void Promise.all(closers.map(c => c())).then(() => process.exit(0)))
}

async function measure(): Promise<void> {
  const child = spawn(process.execPath, [process.argv[1], 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] })
  const { ports, resolver } = await new Promise<{ ports: number[]; resolver: string }>((resolve, reject) => {
    child.stdout.once('data', (b: Buffer) => resolve(JSON.parse(b.toString()) as { ports: number[]; resolver: string }))
    child.once('exit', code => reject(new Error(`bench servers exited (${String(code)})`)))
  })
  // every cluster probes 20 endpoints spread over the other two: 60 probes of 4 layers
  const specs: ProbeSpec[] = []
  for (const [s, from] of CLUSTERS.entries()) {
    const others = CLUSTERS.map((c, i) => ({ c, i })).filter(x => x.i !== s)
    for (let e = 0; e < ENDPOINTS; e++) {
      const to = others[e % others.length]
      const host = `node-${e}.${to.c}.bench.test`
      specs.push({ id: `${from}->${host}`, from, target: { host, port: ports[to.i], cluster: to.c, expectAddress: gateway(to.i) }, protocol: 'http', layers: ['dns', 'tcp', 'tls', 'protocol'], expect: 'allow', required: true, reason: 'bench' })
    }
  }
  const opts = probeOptions({ resolver })
  const alone: number[] = []
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    const r = await runProbe(specs[i * 7], opts, new AbortController().signal)
    if (r.outcome !== 'pass') throw new Error(`bench probe failed: ${r.message}`)
    alone.push(performance.now() - t)
  }
  const walls: number[] = []
  let sum = 0
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    const run = await runProbes(specs, opts)
    walls.push(performance.now() - t)
    if (run.verdict !== 'pass') throw new Error(`bench matrix failed: ${JSON.stringify(run.summary)}`)
    sum = run.results.reduce((total, r) => total + r.ms, 0)
  }
  child.stdin.end()
  await new Promise(r => child.once('exit', r))

  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const slowest = Math.max(...alone)
  const wall = median(walls)
  console.log(`probe matrix: ${specs.length} probes x 4 layers, ${DELAY_MS} ms delay at DNS, TLS and HTTP; concurrency ${opts.concurrency}`)
  console.log(`slowest single probe alone ${slowest.toFixed(0)} ms; matrix wall ${wall.toFixed(0)} ms (median of ${walls.length}); sum of probe times ${sum.toFixed(0)} ms; ${(specs.length / (wall / 1000)).toFixed(0)} probes/s`)
  console.log(`probe-matrix ratio wall / slowest single probe: ${(wall / slowest).toFixed(2)} (target <= 2; sequential ~${specs.length})`)
}

await (process.argv[2] === 'serve' ? serve() : measure())
