// P4: the probe matrix of 3 clusters x 20 endpoints x 4 layers (DNS, TCP, TLS, JSON-RPC) through
// real parts on loopback, as the integration tests build them (test/integration/probe/world.ts):
// Debian's HAProxy doing TLS SNI passthrough (mode tcp, req.ssl_sni routing, one address per
// cluster gateway, unknown SNIs rejected), dnsmasq answering for the clusters' DNS suffixes, and
// one Node TLS backend per endpoint that answers JSON-RPC. Each backend adds a fixed delay to the
// TLS handshake and to the JSON-RPC answer, so the slowest single probe is a meaningful unit. The
// backends run in a child process, as real nodes run elsewhere, so their CPU is not charged to
// the engine; HAProxy and dnsmasq are processes of their own. The engine runs with its defaults.
// Prints wall time of the matrix / the slowest single probe run alone, last (design target <= 2);
// the baseline is the same 60 probes one after another (concurrency 1), measured.

import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createSecureContext } from 'node:tls'

import { probeOptions } from '../src/probe/options.js'
import { runProbe } from '../src/probe/probe.js'
import { runProbes } from '../src/probe/suite.js'
import type { ProbeSpec } from '../src/probe/types.js'
import { freePort, startDnsmasq, startHaproxy } from '../test/integration/probe/world.js'
import type { GatewaySpec, Proc } from '../test/integration/probe/world.js'
import { createCa } from '../test/unit/probe/support/pki.js'

const DELAY_MS = 100
const CLUSTERS = ['c1', 'c2', 'c3']
const ENDPOINTS = 20
const SUFFIX = 'bench.test'
// only 127.0.0.0/8; a /24 of its own so a concurrent integration run (127.0.77.x) cannot collide
const gateway = (i: number): string => `127.0.81.${i + 1}`
const BACKEND = '127.0.81.100'
const DNS = '127.0.81.53'
/** the whole bench, setup to cleanup; past it everything is stopped and the bench fails */
const BENCH_LIMIT_MS = 180_000
const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))
const endpointHost = (e: number, cluster: string): string => `node-${e}.${cluster}.${SUFFIX}`

interface Served {
  ca: string
  /** SNI -> backend port on BACKEND */
  backends: Record<string, number>
}

/** child process: one slow TLS JSON-RPC backend per endpoint; prints the CA and their ports, exits when stdin closes */
async function serve(): Promise<void> {
  const ca = await createCa('bench-ca')
  const backends: Record<string, number> = {}
  const servers: ReturnType<typeof createServer>[] = []
  for (const c of CLUSTERS) {
    const pem = await ca.issue([`*.${c}.${SUFFIX}`])
    const context = createSecureContext({ cert: pem.cert, key: pem.key })
    for (let e = 0; e < ENDPOINTS; e++) {
      const name = endpointHost(e, c)
      const server = createServer(
        // the delay sits in the handshake: the ClientHello came through HAProxy with its SNI
        { cert: pem.cert, key: pem.key, SNICallback: (_sni, cb) => void sleep(DELAY_MS).then(() => cb(null, context)) },
        (req, res) => {
          const chunks: Buffer[] = []
          req.on('data', (b: Buffer) => chunks.push(b))
          req.on('end', () => {
            let id: unknown = null
            try {
              id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown }).id ?? null
            } catch {
              // not JSON: answer anyway, the probe judges the body
            }
            void sleep(DELAY_MS).then(() => {
              res.setHeader('content-type', 'application/json')
              res.end(JSON.stringify({ jsonrpc: '2.0', id, result: `bench-backend/${name}` }))
            })
          })
        }
      )
      server.on('tlsClientError', () => undefined)
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, BACKEND, () => resolve())
      })
      backends[name] = (server.address() as AddressInfo).port
      servers.push(server)
    }
  }
  const served: Served = { ca: ca.cert, backends }
  process.stdout.write(JSON.stringify(served) + '\n')
  const stop = (): void => {
    for (const s of servers) {
      s.closeAllConnections()
      s.close()
    }
    process.exit(0)
  }
  // the parent closes stdin when it is done, or when it dies
  process.stdin.resume()
  process.stdin.on('end', stop)
  process.stdin.on('error', stop)
}

/** starts the backend child and waits (bounded) for its line */
async function startBackends(child: ChildProcess): Promise<Served> {
  return new Promise<Served>((resolve, reject) => {
    let buf = ''
    const timer = setTimeout(() => reject(new Error('bench backends did not start within 60 s')), 60_000)
    child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString()
      const nl = buf.indexOf('\n')
      if (nl < 0) return
      clearTimeout(timer)
      try {
        resolve(JSON.parse(buf.slice(0, nl)) as Served)
      } catch (e) {
        reject(e as Error)
      }
    })
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`bench backends exited (${String(code)})`))
    })
  })
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise(r => child.once('exit', r))
  child.stdin?.end()
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

async function measure(): Promise<void> {
  const procs: Proc[] = []
  const dirs: string[] = []
  const child = spawn(process.execPath, [process.argv[1], 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] })
  let cleaned: Promise<void> | undefined
  const cleanup = (): Promise<void> =>
    (cleaned ??= (async () => {
      await Promise.allSettled([...procs.map(p => p.stop()), stopChild(child)])
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    })())
  const onSignal = (sig: NodeJS.Signals): void => void cleanup().finally(() => process.kill(process.pid, sig))
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const watchdog = setTimeout(() => {
    console.error(`probe-matrix bench: over ${BENCH_LIMIT_MS} ms, stopping`)
    void cleanup().finally(() => process.exit(1))
  }, BENCH_LIMIT_MS)
  watchdog.unref()

  try {
    const { ca, backends } = await startBackends(child)

    // the gateways: SNI passthrough per cluster, every endpoint's SNI routed to its backend
    const tlsPort = await freePort(gateway(0))
    const gateways: GatewaySpec[] = CLUSTERS.map((c, i) => ({
      name: c,
      address: gateway(i),
      tls: { port: tlsPort, routes: Object.fromEntries(Array.from({ length: ENDPOINTS }, (_, e) => [endpointHost(e, c), `${BACKEND}:${backends[endpointHost(e, c)]}`])) }
    }))
    const haproxy = await startHaproxy(gateways)
    procs.push(haproxy)
    // startHaproxy writes its config to a temp dir of its own: found from its argv, removed at the end
    const cfg = haproxy.child.spawnargs[haproxy.child.spawnargs.indexOf('-f') + 1]
    if (cfg && dirname(cfg).startsWith(join(tmpdir(), 'baf-haproxy-'))) dirs.push(dirname(cfg))
    const dns = await startDnsmasq(DNS, await freePort(DNS), Object.fromEntries(CLUSTERS.map((c, i) => [`${c}.${SUFFIX}`, gateway(i)])), [SUFFIX])
    procs.push(dns.proc)

    // every cluster's 20 endpoints are probed once, half from each of the other two clusters:
    // 3 sources x 20 endpoints = 60 probes, each of 4 layers
    const specs: ProbeSpec[] = []
    for (const [s, from] of CLUSTERS.entries()) {
      const others = CLUSTERS.map((c, i) => ({ c, i })).filter(x => x.i !== s)
      for (let k = 0; k < ENDPOINTS; k++) {
        const to = others[k % 2]
        // of `to`'s two sources, the first probes its even endpoints, the second its odd ones
        const firstSource = CLUSTERS.findIndex((_, i) => i !== to.i)
        const e = 2 * Math.floor(k / 2) + (s === firstSource ? 0 : 1)
        const host = endpointHost(e, to.c)
        specs.push({ id: `${from}->${host}:${tlsPort}`, from, target: { host, port: tlsPort, cluster: to.c, expectAddress: gateway(to.i), endpoint: 'rpc' }, protocol: 'json-rpc', layers: ['dns', 'tcp', 'tls', 'protocol'], expect: 'allow', required: true, reason: 'bench' })
      }
    }
    const targets = new Set(specs.map(s => s.target.host))
    if (targets.size !== CLUSTERS.length * ENDPOINTS) throw new Error(`bench plan: ${targets.size} distinct endpoints, expected ${CLUSTERS.length * ENDPOINTS}`)

    const opts = probeOptions({ resolver: dns.resolver, ca, deadlineMs: 60_000 })
    // warm up (JIT, TLS, HAProxy) with one probe, then the baseline: every probe alone, one after another
    const warm = await runProbe(specs[0], opts, AbortSignal.timeout(30_000))
    if (warm.outcome !== 'pass') throw new Error(`bench warm-up probe failed: ${warm.message ?? ''} ${JSON.stringify(warm.layers)}`)
    const alone: number[] = []
    const seqStart = performance.now()
    for (const spec of specs) {
      const t = performance.now()
      const r = await runProbe(spec, opts, AbortSignal.timeout(30_000))
      if (r.outcome !== 'pass') throw new Error(`bench probe ${spec.id} failed: ${r.message ?? ''}`)
      alone.push(performance.now() - t)
    }
    const sequential = performance.now() - seqStart

    const walls: number[] = []
    let sum = 0
    let sample = ''
    for (let i = 0; i < 5; i++) {
      const t = performance.now()
      const run = await runProbes(specs, opts)
      walls.push(performance.now() - t)
      if (run.verdict !== 'pass') throw new Error(`bench matrix failed: ${JSON.stringify(run.summary)}: ${run.results.find(r => r.outcome !== 'pass')?.message ?? ''}`)
      if (run.results.length !== specs.length) throw new Error(`bench matrix: ${run.results.length} results for ${specs.length} probes`)
      sum = run.results.reduce((total, r) => total + r.ms, 0)
      const r0 = run.results[0]
      sample = `${r0.id}: ${r0.layers.map(l => `${l.layer} ${l.ms} ms (${l.detail ?? ''})`).join('; ')}`
    }

    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    const slowest = Math.max(...alone)
    const wall = median(walls)
    console.log(`probe matrix: ${specs.length} probes (${CLUSTERS.length} clusters x ${ENDPOINTS} endpoints) x 4 layers (dns, tcp, tls, json-rpc) through HAProxy SNI passthrough on ${gateways.map(g => g.address).join(', ')}:${tlsPort} and dnsmasq at ${dns.resolver}; ${DELAY_MS} ms backend delay at TLS handshake and JSON-RPC answer; concurrency ${opts.concurrency}`)
    console.log(`one probe: ${sample}`)
    console.log(`slowest single probe alone ${slowest.toFixed(0)} ms (median alone ${median(alone).toFixed(0)} ms); sequential ${sequential.toFixed(0)} ms; matrix wall ${wall.toFixed(0)} ms (median of ${walls.length}: ${walls.map(w => w.toFixed(0)).join(', ')}); sum of probe times ${sum.toFixed(0)} ms; ${(specs.length / (wall / 1000)).toFixed(0)} probes/s (sequential ${(specs.length / (sequential / 1000)).toFixed(1)} probes/s)`)
    console.log(`probe-matrix baseline ratio sequential / slowest single probe: ${(sequential / slowest).toFixed(2)} (one probe after another; ${specs.length} probes)`)
    console.log(`probe-matrix ratio wall / slowest single probe: ${(wall / slowest).toFixed(2)} (target <= 2; sequential ${(sequential / slowest).toFixed(2)})`)
  } finally {
    await cleanup()
    clearTimeout(watchdog)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

await (process.argv[2] === 'serve' ? serve() : measure())
