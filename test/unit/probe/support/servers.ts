// Real servers on loopback addresses for the layer tests: each listens on a free port of the
// given 127.x address and tracks its sockets, so close() ends every connection (no test leaks).

import { createServer as createHttpServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createSecureServer } from 'node:http2'
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2'
import { createServer as createNetServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'

import type { Pem } from './pki.js'

export interface Running {
  host: string
  port: number
  close(): Promise<void>
  /** connections accepted so far */
  readonly accepted: number
  /** connections open right now, and the most ever open at once */
  readonly open: number
  readonly peak: number
}

async function listen(server: Server, host: string, port = 0): Promise<Running> {
  const sockets = new Set<Socket>()
  let accepted = 0
  let peak = 0
  server.on('connection', (s: Socket) => {
    accepted++
    sockets.add(s)
    peak = Math.max(peak, sockets.size)
    s.on('close', () => sockets.delete(s))
    // a probe that closes abruptly must not crash the test server
    s.on('error', () => undefined)
  })
  server.on('secureConnection', (s: Socket) => s.on('error', () => undefined))
  server.on('tlsClientError', () => undefined)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  return {
    host,
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted
    },
    get open() {
      return sockets.size
    },
    get peak() {
      return peak
    },
    close: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

/** accepts and holds connections; answers nothing (reads and drops what arrives, so a client's close is seen) */
export function tcpListener(host: string, port = 0): Promise<Running> {
  return listen(createNetServer(s => s.resume()), host, port)
}

/** a port that was free a moment ago and has nothing listening now */
export async function closedPort(host: string): Promise<number> {
  const s = await tcpListener(host)
  await s.close()
  return s.port
}

/** closes every connection at once, as HAProxy's reject backend does to an unknown SNI */
export function droppingServer(host: string): Promise<Running> {
  return listen(createNetServer(s => s.destroy()), host)
}

/** accepts connections and never answers: neither TLS nor HTTP ever completes */
export const hangingServer = tcpListener

/** a TLS server with one certificate whatever the SNI (a gateway's default certificate when it does not match) */
export function tlsServer(host: string, pem: Pem, opts: { alpn?: string[]; reply?: string } = {}): Promise<Running> {
  const server = createTlsServer({ cert: pem.cert, key: pem.key, ALPNProtocols: opts.alpn ?? ['h2', 'http/1.1'] }, socket => {
    socket.on('error', () => undefined)
    socket.end(opts.reply ?? `hello ${(socket as unknown as { servername?: string }).servername ?? ''}\n`)
  })
  return listen(server, host)
}

export type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void

export function httpServer(host: string, handler: Handler, port = 0): Promise<Running> {
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res))
  })
  return listen(server, host, port)
}

/** a scripted JSON-RPC server: `answers[method]` returns the result, or throws to answer an error */
export function jsonRpcServer(host: string, answers: Record<string, (params: unknown[]) => unknown>, port = 0): Promise<Running> {
  return httpServer(
    host,
    (_req, body, res) => {
      const call = JSON.parse(body) as { id: number; method: string; params: unknown[] }
      const fn = answers[call.method]
      let reply: unknown
      if (!fn) reply = { jsonrpc: '2.0', id: call.id, error: { code: -32601, message: 'Method not found' } }
      else {
        try {
          reply = { jsonrpc: '2.0', id: call.id, result: fn(call.params) }
        } catch (e) {
          reply = { jsonrpc: '2.0', id: call.id, error: { code: -32000, message: (e as Error).message } }
        }
      }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(reply))
    },
    port
  )
}

export type GrpcMode = 'serving' | 'not-serving' | 'unimplemented'

/** an HTTP/2 TLS server speaking gRPC's framing: grpc.health.v1 answers, or UNIMPLEMENTED for everything */
export function grpcServer(host: string, pem: Pem, mode: GrpcMode): Promise<Running> {
  const server = createSecureServer({ cert: pem.cert, key: pem.key, allowHTTP1: false }, (req: Http2ServerRequest, res: Http2ServerResponse) => {
    req.resume()
    req.on('end', () => {
      if (mode === 'unimplemented' || req.url !== '/grpc.health.v1.Health/Check') {
        // trailers-only response, as grpc-go answers an unknown method
        res.writeHead(200, { 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': `unknown service ${req.url.split('/')[1]}` })
        res.end()
        return
      }
      const message = Buffer.from([0x08, mode === 'serving' ? 1 : 2])
      const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message])
      res.addTrailers({ 'grpc-status': '0' })
      res.writeHead(200, { 'content-type': 'application/grpc' })
      res.end(frame)
    })
  })
  server.on('sessionError', () => undefined)
  return listen(server as unknown as Server, host)
}
