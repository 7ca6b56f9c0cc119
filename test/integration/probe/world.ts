// The real parts the probe integration tests run against, all on loopback addresses: Debian's
// HAProxy doing SNI passthrough (one address per simulated cluster gateway), dnsmasq answering
// for the clusters' DNS suffixes, and ganache as a real Ethereum JSON-RPC node. Every process is
// started here, tracked by pid and stopped by pid.

import { execFile, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface Proc {
  name: string
  child: ChildProcess
  output: string[]
  stop(): Promise<void>
}

function startProcess(name: string, cmd: string, args: string[]): Proc {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const output: string[] = []
  const keep = (b: Buffer): void => {
    output.push(b.toString())
    if (output.length > 200) output.shift()
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  return {
    name,
    child,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
  }
}

export async function freePort(host: string): Promise<number> {
  const s = createServer()
  await new Promise<void>(r => s.listen(0, host, () => r()))
  const port = (s.address() as AddressInfo).port
  await new Promise(r => s.close(r))
  return port
}

/** waits until something accepts on host:port; bounded in attempts and time */
export async function waitForPort(host: string, port: number, proc: Proc, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (let i = 0; i < 400 && Date.now() < deadline; i++) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}): ${proc.output.join('').slice(-2000)}`)
    const ok = await new Promise<boolean>(resolve => {
      const s = connect({ host, port })
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise(r => setTimeout(r, 50))
  }
  throw new Error(`${proc.name} did not listen on ${host}:${port} within ${timeoutMs} ms: ${proc.output.join('').slice(-2000)}`)
}

export async function requireBinary(name: string): Promise<string> {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    try {
      await run('test', ['-x', join(dir, name)])
      return join(dir, name)
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} is not installed: run "apt-get install -y haproxy dnsmasq" (scripts/test.sh does it)`)
}

/** dnsmasq with no upstream: answers only for the given domains (and their subdomains), NXDOMAIN for the rest of `local` */
export async function startDnsmasq(listen: string, port: number, addresses: Record<string, string>, local: string[]): Promise<{ resolver: string; proc: Proc }> {
  const bin = await requireBinary('dnsmasq')
  const args = ['-C', '/dev/null', '-k', '--no-resolv', '--no-hosts', '--no-poll', '--bind-interfaces', `--listen-address=${listen}`, `--port=${port}`, '--log-facility=-', ...local.map(d => `--local=/${d}/`), ...Object.entries(addresses).map(([d, ip]) => `--address=/${d}/${ip}`)]
  const proc = startProcess('dnsmasq', bin, args)
  // dnsmasq answers UDP; its TCP listener on the same port tells us it is up
  await waitForPort(listen, port, proc)
  return { resolver: `${listen}:${port}`, proc }
}

export interface GatewaySpec {
  name: string
  address: string
  /** SNI passthrough port: routes by SNI; unknown SNI rejected, or sent to a default-certificate backend */
  tls?: { port: number; routes: Record<string, string>; fallback?: string }
  /** HTTP port routed by Host */
  http?: { port: number; routes: Record<string, string> }
  /** plain TCP ports */
  tcp?: Record<number, string>
}

export function haproxyConfig(gateways: GatewaySpec[]): string {
  const lines = ['global', '    maxconn 2000', 'defaults', '    mode tcp', '    timeout connect 5s', '    timeout client 30s', '    timeout server 30s', '']
  const backend = (name: string, target: string, mode: 'tcp' | 'http'): string[] => [`backend ${name}`, `    mode ${mode}`, `    server s1 ${target}`, '']
  for (const g of gateways) {
    if (g.tls) {
      lines.push(`frontend ${g.name}_tls`, `    bind ${g.address}:${g.tls.port}`, '    mode tcp', '    tcp-request inspect-delay 5s', '    tcp-request content accept if { req_ssl_hello_type 1 }')
      const names = Object.keys(g.tls.routes)
      names.forEach((sni, i) => lines.push(`    use_backend ${g.name}_sni${i} if { req_ssl_sni -i ${sni} }`))
      lines.push(`    default_backend ${g.tls.fallback ? `${g.name}_default` : 'reject_tls'}`, '')
      names.forEach((sni, i) => lines.push(...backend(`${g.name}_sni${i}`, g.tls!.routes[sni], 'tcp')))
      if (g.tls.fallback) lines.push(...backend(`${g.name}_default`, g.tls.fallback, 'tcp'))
    }
    if (g.http) {
      lines.push(`frontend ${g.name}_http`, `    bind ${g.address}:${g.http.port}`, '    mode http')
      const hosts = Object.keys(g.http.routes)
      hosts.forEach((h, i) => lines.push(`    use_backend ${g.name}_host${i} if { hdr(host),field(1,:) -i ${h} }`))
      lines.push('    default_backend no_route', '')
      hosts.forEach((h, i) => lines.push(...backend(`${g.name}_host${i}`, g.http!.routes[h], 'http')))
    }
    for (const [port, target] of Object.entries(g.tcp ?? {})) {
      lines.push(`frontend ${g.name}_tcp${port}`, `    bind ${g.address}:${port}`, '    mode tcp', `    default_backend ${g.name}_tcp${port}_be`, '', ...backend(`${g.name}_tcp${port}_be`, target, 'tcp'))
    }
  }
  lines.push('backend reject_tls', '    mode tcp', '    tcp-request content reject', '', 'backend no_route', '    mode http', '    http-request deny deny_status 404', '')
  return lines.join('\n')
}

export async function startHaproxy(gateways: GatewaySpec[]): Promise<Proc> {
  const bin = await requireBinary('haproxy')
  const dir = mkdtempSync(join(tmpdir(), 'baf-haproxy-'))
  const cfg = join(dir, 'haproxy.cfg')
  writeFileSync(cfg, haproxyConfig(gateways))
  await run(bin, ['-c', '-f', cfg]).catch((e: { stdout?: string; stderr?: string }) => {
    throw new Error(`haproxy rejected its config: ${e.stdout ?? ''}${e.stderr ?? ''}`)
  })
  const proc = startProcess('haproxy', bin, ['-db', '-f', cfg])
  for (const g of gateways) {
    const port = g.tls?.port ?? g.http?.port ?? Number(Object.keys(g.tcp ?? {})[0])
    await waitForPort(g.address, port, proc)
  }
  return proc
}

export interface Ganache {
  address: string
  port: number
  proc: Proc
}

/** ganache@7 from npm: a real Ethereum JSON-RPC node; with blockTime its block number advances by itself */
export async function startGanache(host: string, blockTimeSeconds?: number): Promise<Ganache> {
  const port = await freePort(host)
  const args = ['node_modules/ganache/dist/node/cli.js', '--server.host', host, '--server.port', String(port), '--logging.quiet', '--wallet.totalAccounts', '1', '--chain.chainId', '1337']
  if (blockTimeSeconds) args.push('--miner.blockTime', String(blockTimeSeconds))
  const proc = startProcess('ganache', process.execPath, args)
  await waitForPort(host, port, proc, 60_000)
  return { address: `${host}:${port}`, port, proc }
}
