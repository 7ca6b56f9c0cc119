// What every layer check takes and returns. The engine (probe.ts) turns a LayerCheck into the
// LayerResult of the results file, decides retries and applies expected-deny semantics.

import type { Socket } from 'node:net'

import type { ProbeOptions } from '../options.js'
import type { ProbeSpec } from '../types.js'

export interface LayerContext {
  spec: ProbeSpec
  opts: ProbeOptions
  /** aborted at the suite deadline */
  signal: AbortSignal
  /** where to connect: the DNS layer's answer, else target.expectAddress, else the host name */
  address: string
  /**
   * An open connection one layer hands to the next (TCP -> TLS -> protocol), so a probe makes one
   * connection, as a real client does, and the protocol speaks over the very TLS session that was
   * checked. The next layer takes it (sets this back to undefined); the engine closes what is left.
   */
  connection?: Socket
  /** set by the engine when the next layer can use the connection; samples never hand one on */
  handOn: boolean
}

/** takes the handed-on connection, leaving none behind */
export function takeConnection(ctx: LayerContext): Socket | undefined {
  const c = ctx.connection
  ctx.connection = undefined
  return c && !c.destroyed ? c : undefined
}

/** how a target refused a path; for an expected-deny probe any of these is the pass condition */
export type Denial = 'refused' | 'timeout' | 'reset' | 'unreachable' | 'sni-rejected' | 'default-certificate'

export interface LayerCheck {
  status: 'pass' | 'fail' | 'inconclusive' | 'skip'
  detail: string
  hint?: string
  denied?: Denial
  /** the suite deadline stopped this check: no verdict, no retry */
  aborted?: boolean
  /** set by the DNS layer: the address later layers connect to */
  address?: string
  /** time of the essential step when it is not the wall time of the check (a handshake after a connect) */
  ms?: number
}

export type LayerCheckFn = (ctx: LayerContext) => Promise<LayerCheck>

export const ABORTED: LayerCheck = { status: 'inconclusive', detail: 'stopped: the suite deadline was reached', aborted: true }

export function target(ctx: LayerContext): string {
  return `${ctx.address}:${ctx.spec.target.port}`
}

/** `a.b.c` -> `b.c`: the suffix whose DNS wiring serves the name */
export function dnsSuffix(host: string): string {
  const dot = host.indexOf('.')
  return dot > 0 ? host.slice(dot + 1) : host
}

/** true when the target speaks TLS before the protocol (https, gRPC over TLS) */
export function usesTls(spec: ProbeSpec): boolean {
  return spec.layers.includes('tls') || spec.protocol === 'tls'
}
