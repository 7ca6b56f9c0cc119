// A unary gRPC call over Node's http2 (no gRPC library needed for a probe): the grpc.health.v1
// check, or any method. UNIMPLEMENTED is an answer too: it proves a gRPC server is behind the
// gateway, which is all a Fabric peer (no health service) can tell an anonymous client.

import { connect as h2connect } from 'node:http2'
import { connect as netConnect, isIP } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type { TLSSocket } from 'node:tls'

import { bounded } from '../bounded.js'
import { classifyNetError, describeError } from '../net-errors.js'
import type { NetFailure } from '../net-errors.js'
import type { HttpTarget } from './http.js'

export const GRPC_STATUS = { OK: 0, UNIMPLEMENTED: 12, UNAVAILABLE: 14 } as const
export const HEALTH_CHECK = '/grpc.health.v1.Health/Check'
export const HEALTH_SERVING = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const

export type GrpcAnswer =
  | { kind: 'grpc'; status: number; message: string; body: Buffer; ms: number }
  | { kind: 'not-grpc'; httpStatus: number; contentType: string }
  | { kind: 'error'; failure: NetFailure; error: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' }

/** length-prefixed message: 1 byte compressed flag, 4 bytes big-endian length */
export function grpcFrame(message: Buffer): Buffer {
  const head = Buffer.alloc(5)
  head.writeUInt32BE(message.length, 1)
  return Buffer.concat([head, message])
}

/** HealthCheckResponse { ServingStatus status = 1; } from the first frame of a response body */
export function healthStatus(body: Buffer): (typeof HEALTH_SERVING)[number] {
  if (body.length < 5) return 'UNKNOWN'
  const message = body.subarray(5, 5 + body.readUInt32BE(1))
  // proto3 omits a zero field, so an empty message is UNKNOWN
  const at = message.indexOf(0x08)
  return at >= 0 && at + 1 < message.length ? (HEALTH_SERVING[message[at + 1]] ?? 'UNKNOWN') : 'UNKNOWN'
}

export async function grpcCall(t: HttpTarget, path: string, message: Buffer, timeoutMs: number, signal: AbortSignal): Promise<GrpcAnswer> {
  const started = performance.now()
  type Done = Exclude<GrpcAnswer, { kind: 'timeout' } | { kind: 'aborted' }>
  const r = await bounded<Done>(timeoutMs, signal, (finish, onClose) => {
    const sni = t.sni ?? t.host
    const authority = t.port === 443 ? t.host : `${t.host}:${t.port}`
    const given = t.connection
    // an already-secured socket settled its ALPN: without h2 it cannot be a gRPC server
    const negotiated = (given as TLSSocket | undefined)?.alpnProtocol
    if (given && t.tls && negotiated !== 'h2') {
      given.destroy()
      finish({ kind: 'not-grpc', httpStatus: 0, contentType: `TLS without HTTP/2 (ALPN ${negotiated || 'none'})` })
      return
    }
    const session = h2connect(`${t.tls ? 'https' : 'http'}://${authority}`, {
      createConnection: () => {
        if (given) return given
        if (!t.tls) return netConnect({ host: t.address, port: t.port })
        const socket = tlsConnect({ host: t.address, port: t.port, servername: isIP(sni) ? undefined : sni, ALPNProtocols: ['h2'], rejectUnauthorized: false })
        // a server that does not agree to h2 cannot be a gRPC server: a definite answer, not a reset
        socket.once('secureConnect', () => {
          if (socket.alpnProtocol !== 'h2') finish({ kind: 'not-grpc', httpStatus: 0, contentType: `TLS without HTTP/2 (ALPN ${socket.alpnProtocol || 'none'})` })
        })
        return socket
      }
    })
    onClose(() => {
      session.destroy()
      given?.destroy()
    })
    const fail = (e: Error): void => {
      // TLS alert 120: the server offers only other protocols (HTTP/1.1) - definitely not gRPC
      if (/no application protocol/i.test(describeError(e))) finish({ kind: 'not-grpc', httpStatus: 0, contentType: 'TLS without HTTP/2 (the server refused ALPN h2: no application protocol)' })
      else finish({ kind: 'error', failure: classifyNetError(e), error: describeError(e) })
    }
    session.on('error', fail)
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' })
    let httpStatus = 0
    let contentType = ''
    let status: number | undefined
    let statusMessage = ''
    const chunks: Buffer[] = []
    const readStatus = (h: Record<string, unknown>): void => {
      if (h['grpc-status'] !== undefined) {
        status = Number(h['grpc-status'])
        statusMessage = decodeURIComponent(String(h['grpc-message'] ?? ''))
      }
    }
    stream.on('error', fail)
    stream.on('response', headers => {
      httpStatus = Number(headers[':status'])
      contentType = String(headers['content-type'] ?? '')
      // a "trailers-only" answer (errors such as UNIMPLEMENTED) carries the status in the headers
      readStatus(headers)
    })
    stream.on('trailers', readStatus)
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => {
      if (status === undefined || !contentType.startsWith('application/grpc')) finish({ kind: 'not-grpc', httpStatus, contentType })
      else finish({ kind: 'grpc', status, message: statusMessage, body: Buffer.concat(chunks), ms: performance.now() - started })
    })
    stream.end(grpcFrame(message))
  })
  return r.kind === 'done' ? r.value : r
}
