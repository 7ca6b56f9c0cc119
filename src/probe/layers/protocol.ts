// Protocol: one request in the language the endpoint speaks - an HTTP status, a JSON-RPC call, a
// gRPC health check - through the gateway, with the target's name as Host/SNI.

import { GRPC_STATUS, grpcCall, HEALTH_CHECK, healthStatus } from '../clients/grpc.js'
import type { HttpTarget } from '../clients/http.js'
import { httpCall } from '../clients/http.js'
import { rpcCall } from '../clients/json-rpc.js'
import type { NetFailure } from '../net-errors.js'
import { ABORTED, takeConnection, target, usesTls } from './layer.js'
import type { LayerCheck, LayerContext } from './layer.js'

export function httpTarget(ctx: LayerContext): HttpTarget {
  return { address: ctx.address, port: ctx.spec.target.port, host: ctx.spec.target.host, sni: ctx.spec.target.sni, tls: usesTls(ctx.spec) }
}

/** the protocol check speaks over the connection the TCP/TLS layer handed on, when there is one */
function overConnection(ctx: LayerContext): HttpTarget {
  return { ...httpTarget(ctx), connection: takeConnection(ctx) }
}

type TransportFailure = { kind: 'error'; failure: NetFailure; error: string } | { kind: 'timeout' } | { kind: 'aborted' }

/** the same reading of a failed request for every protocol and the dlt layer */
export function transportFailure(ctx: LayerContext, f: TransportFailure, what: string): LayerCheck {
  const where = target(ctx)
  const host = ctx.spec.target.host
  if (f.kind === 'aborted') return ABORTED
  if (f.kind === 'timeout') {
    return { status: 'inconclusive', detail: `${what}: no answer from ${where} within ${ctx.opts.requestTimeoutMs} ms`, hint: `the connection was accepted but the backend for ${host} did not answer: check that the node is running and ready` }
  }
  if (f.failure === 'refused') return { status: 'fail', denied: 'refused', detail: `${what}: connection to ${where} refused`, hint: `nothing listens on port ${ctx.spec.target.port}: check the gateway's listener` }
  if (f.failure === 'reset') return { status: 'inconclusive', detail: `${what}: connection to ${where} reset (${f.error})`, hint: `the gateway dropped the request for ${host}: check its route and the backend's readiness` }
  return { status: 'fail', detail: `${what}: ${f.error}`, hint: `check the route for ${host} on the gateway and the protocol of port ${ctx.spec.target.port}` }
}

export function httpStatusCheck(ctx: LayerContext, status: number, what: string): LayerCheck | undefined {
  const host = ctx.spec.target.host
  if (status === 404 || status === 421) return { status: 'fail', detail: `${what}: HTTP ${status} for host ${host}`, hint: `the gateway has no route for host ${host}: check its host rule (Ingress/Mapping) for ${host}` }
  if (status === 502 || status === 503 || status === 504) return { status: 'fail', detail: `${what}: HTTP ${status} for host ${host}`, hint: `the gateway routes ${host} but has no healthy backend: check the node's Service, endpoints and pod readiness` }
  if (status >= 400 && ![401, 403, 405].includes(status)) return { status: 'fail', detail: `${what}: HTTP ${status}`, hint: `the endpoint answered an error: check the node's logs` }
  return undefined
}

async function httpCheck(ctx: LayerContext): Promise<LayerCheck> {
  const r = await httpCall(overConnection(ctx), { method: 'GET', path: '/', timeoutMs: ctx.opts.requestTimeoutMs, signal: ctx.signal })
  if (r.kind !== 'response') return transportFailure(ctx, r, 'GET /')
  // 401/403/405 still prove a server answers for this host
  return httpStatusCheck(ctx, r.status, 'GET /') ?? { status: 'pass', detail: `GET / answered HTTP ${r.status}`, ms: r.ms }
}

async function rpcCheck(ctx: LayerContext): Promise<LayerCheck> {
  const r = await rpcCall(overConnection(ctx), 'web3_clientVersion', [], ctx.opts.requestTimeoutMs, ctx.signal)
  switch (r.kind) {
    case 'result':
      return { status: 'pass', detail: `JSON-RPC answers: ${String(r.result)}`, ms: r.ms }
    case 'rpc-error':
      // an error object is still a JSON-RPC server answering (WEB3 API disabled)
      return { status: 'pass', detail: `JSON-RPC answers (web3_clientVersion: error ${r.code} ${r.message})`, ms: r.ms }
    case 'not-json-rpc':
      return httpStatusCheck(ctx, r.status, 'JSON-RPC') ?? { status: 'fail', detail: `HTTP ${r.status} but not JSON-RPC: ${JSON.stringify(r.body.slice(0, 80))}`, hint: `the route for ${ctx.spec.target.host} leads to something other than the node's RPC port: check the gateway's target port (8545)` }
    default:
      return transportFailure(ctx, r, 'JSON-RPC')
  }
}

async function grpcCheck(ctx: LayerContext): Promise<LayerCheck> {
  const r = await grpcCall(overConnection(ctx), HEALTH_CHECK, Buffer.alloc(0), ctx.opts.requestTimeoutMs, ctx.signal)
  if (r.kind === 'not-grpc') {
    const what = r.httpStatus === 0 ? r.contentType : `HTTP/2 answer is not gRPC (status ${r.httpStatus}, content-type ${r.contentType || 'none'})`
    return { status: 'fail', detail: what, hint: `the route for ${ctx.spec.target.host} leads to something other than a gRPC server: check the gateway's passthrough target` }
  }
  if (r.kind !== 'grpc') return transportFailure(ctx, r, 'gRPC')
  if (r.status === GRPC_STATUS.UNIMPLEMENTED) return { status: 'pass', detail: `gRPC server answered UNIMPLEMENTED for ${HEALTH_CHECK} (no health service): a gRPC server is behind the gateway`, ms: r.ms }
  if (r.status === GRPC_STATUS.OK) {
    const serving = healthStatus(r.body)
    if (serving === 'SERVING') return { status: 'pass', detail: 'gRPC health: SERVING', ms: r.ms }
    return { status: 'fail', detail: `gRPC health: ${serving}`, hint: `the gRPC server behind ${ctx.spec.target.host} reports it is not serving: check the node's logs and readiness` }
  }
  return { status: 'fail', detail: `gRPC status ${r.status}${r.message ? ` (${r.message})` : ''}`, hint: `the gRPC server behind ${ctx.spec.target.host} refused the call: check the node's logs` }
}

export async function protocolLayer(ctx: LayerContext): Promise<LayerCheck> {
  switch (ctx.spec.protocol) {
    case 'http':
      return httpCheck(ctx)
    case 'json-rpc':
      return rpcCheck(ctx)
    case 'grpc':
      return grpcCheck(ctx)
    default:
      return { status: 'skip', detail: `no protocol check for ${ctx.spec.protocol}: ${ctx.spec.protocol === 'tls' ? 'the TLS layer is the check' : 'RLPx/ZMQ have no probe-able handshake, TCP is the check'}` }
  }
}
