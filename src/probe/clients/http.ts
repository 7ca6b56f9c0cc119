// One HTTP(S) request to an address, with the target's name as Host header and SNI: the way a
// client behind the cluster's DNS would reach the gateway. Fresh connection, no agent, no
// keep-alive, so every socket is closed when the request ends.

import { request as httpRequest } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import type { Socket } from 'node:net'

import { bounded } from '../bounded.js'
import { classifyNetError, describeError } from '../net-errors.js'
import type { NetFailure } from '../net-errors.js'

export interface HttpTarget {
  address: string
  port: number
  /** the name the gateway routes on (Host header; SNI too unless `sni` is set) */
  host: string
  tls: boolean
  sni?: string
  /** an open connection (TLS already checked) to send the request over, instead of connecting */
  connection?: Socket
}

export interface HttpCall {
  method: 'GET' | 'POST'
  path: string
  body?: string
  headers?: Record<string, string>
  timeoutMs: number
  signal: AbortSignal
}

export type HttpResult =
  | { kind: 'response'; status: number; headers: IncomingHttpHeaders; body: string; ms: number }
  | { kind: 'error'; failure: NetFailure; error: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' }

/** enough for any health or JSON-RPC answer we read; more is cut, not buffered */
const MAX_BODY = 1 << 20

function hostHeader(t: HttpTarget): string {
  const name = isIP(t.host) === 6 ? `[${t.host}]` : t.host
  return t.port === (t.tls ? 443 : 80) ? name : `${name}:${t.port}`
}

export async function httpCall(t: HttpTarget, call: HttpCall): Promise<HttpResult> {
  const started = performance.now()
  type Done = Extract<HttpResult, { kind: 'response' } | { kind: 'error' }>
  const r = await bounded<Done>(call.timeoutMs, call.signal, (finish, onClose) => {
    const headers: Record<string, string> = { host: hostHeader(t), connection: 'close', 'user-agent': 'baf-probe', ...call.headers }
    if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body))
    const sni = t.sni ?? t.host
    const given = t.connection
    // Node ignores createConnection when any agent is set (even `false`): a given connection goes without one
    const options = { host: t.address, port: t.port, method: call.method, path: call.path, headers, ...(given ? { createConnection: () => given } : { agent: false as const }) }
    // certificate checks belong to the TLS layer; here only the protocol answer counts
    const req = t.tls && !given ? httpsRequest({ ...options, servername: isIP(sni) ? undefined : sni, rejectUnauthorized: false }) : httpRequest(options)
    onClose(() => {
      req.destroy()
      given?.destroy()
    })
    req.on('error', (e: Error) => finish({ kind: 'error', failure: classifyNetError(e), error: describeError(e) }))
    req.on('response', res => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk)
        size += chunk.length
      })
      res.on('error', (e: Error) => finish({ kind: 'error', failure: classifyNetError(e), error: describeError(e) }))
      res.on('end', () => finish({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY), ms: performance.now() - started }))
    })
    req.end(call.body)
  })
  return r.kind === 'done' ? r.value : r
}
