// JSON-RPC 2.0 over HTTP(S), as Besu, GoQuorum and geth serve it. A JSON-RPC error is an answer
// (the node is there); only a body that is not JSON-RPC means something else answered.

import { httpCall } from './http.js'
import type { HttpResult, HttpTarget } from './http.js'

export type RpcAnswer =
  | { kind: 'result'; result: unknown; ms: number }
  | { kind: 'rpc-error'; code: number; message: string; ms: number }
  | { kind: 'not-json-rpc'; status: number; body: string }
  | Exclude<HttpResult, { kind: 'response' }>

export async function rpcCall(t: HttpTarget, method: string, params: unknown[], timeoutMs: number, signal: AbortSignal): Promise<RpcAnswer> {
  const id = Math.floor(Math.random() * 1e9)
  const r = await httpCall(t, { method: 'POST', path: '/', body: JSON.stringify({ jsonrpc: '2.0', id, method, params }), headers: { 'content-type': 'application/json' }, timeoutMs, signal })
  if (r.kind !== 'response') return r
  let body: { jsonrpc?: unknown; id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } }
  try {
    body = JSON.parse(r.body) as typeof body
  } catch {
    return { kind: 'not-json-rpc', status: r.status, body: r.body.slice(0, 200) }
  }
  if (body?.jsonrpc !== '2.0' || !('result' in body || 'error' in body)) return { kind: 'not-json-rpc', status: r.status, body: r.body.slice(0, 200) }
  if (body.error) return { kind: 'rpc-error', code: Number(body.error.code), message: String(body.error.message ?? ''), ms: r.ms }
  return { kind: 'result', result: body.result, ms: r.ms }
}

/** -32601 is the standard code; some nodes (ganache) answer other codes with a "does not exist" message */
export function isMethodMissing(a: RpcAnswer): boolean {
  return a.kind === 'rpc-error' && (a.code === -32601 || /not (found|available|supported)|does not exist/i.test(a.message))
}

export function hexNumber(v: unknown): number | undefined {
  return typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) ? Number.parseInt(v, 16) : undefined
}

export function describeRpcFailure(a: RpcAnswer, timeoutMs: number): string {
  switch (a.kind) {
    case 'rpc-error':
      return `JSON-RPC error ${a.code}: ${a.message}`
    case 'not-json-rpc':
      return `HTTP ${a.status} with a body that is not JSON-RPC: ${JSON.stringify(a.body.slice(0, 80))}`
    case 'error':
      return `request failed: ${a.error}`
    case 'timeout':
      return `no answer within ${timeoutMs} ms`
    case 'aborted':
      return 'stopped: the suite deadline was reached'
    default:
      return 'unexpected answer'
  }
}
