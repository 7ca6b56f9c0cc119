// TCP: open a connection to the target address and close it again. A refusal is definite; a
// timeout or reset is inconclusive for a path that must be open (retried), and a denial for a
// path that must be closed.

import { connect } from 'node:net'

import { bounded } from '../bounded.js'
import { classifyNetError, describeError } from '../net-errors.js'
import type { NetFailure } from '../net-errors.js'
import { ABORTED, target } from './layer.js'
import type { LayerCheck, LayerContext } from './layer.js'

type Connected = { ok: true; ms: number } | { ok: false; failure: NetFailure; error: unknown }

export async function tcpLayer(ctx: LayerContext): Promise<LayerCheck> {
  const { port } = ctx.spec.target
  const where = target(ctx)
  const started = performance.now()
  let handedOn = false
  const r = await bounded<Connected>(ctx.opts.connectTimeoutMs, ctx.signal, (finish, onClose) => {
    const socket = connect({ host: ctx.address, port })
    onClose(() => {
      if (!handedOn) socket.destroy()
    })
    socket.once('connect', () => {
      if (ctx.handOn) {
        handedOn = true
        ctx.connection = socket
      }
      finish({ ok: true, ms: performance.now() - started })
    })
    socket.on('error', (error: Error) => finish({ ok: false, failure: classifyNetError(error), error }))
  })
  if (r.kind === 'aborted') return ABORTED
  const gatewayHint = `check the gateway's listener for port ${port} and that its LoadBalancer Service exposes the port`
  if (r.kind === 'timeout') {
    return { status: 'inconclusive', denied: 'timeout', detail: `no answer to a connection to ${where} within ${ctx.opts.connectTimeoutMs} ms`, hint: `a firewall, security group or NetworkPolicy drops the traffic, or ${ctx.address} is not the gateway's address` }
  }
  if (r.value.ok) return { status: 'pass', detail: `connected to ${where}`, ms: r.value.ms }
  switch (r.value.failure) {
    case 'refused':
      return { status: 'fail', denied: 'refused', detail: `connection to ${where} refused`, hint: `nothing listens on port ${port} at ${ctx.address}: ${gatewayHint}` }
    case 'reset':
      return { status: 'inconclusive', denied: 'reset', detail: `connection to ${where} reset`, hint: gatewayHint }
    case 'unreachable':
      return { status: 'fail', denied: 'unreachable', detail: `${where} is unreachable: ${describeError(r.value.error)}`, hint: `no route from the source to ${ctx.address}: check the network between the clusters` }
    default:
      return { status: 'fail', detail: `connecting to ${where} failed: ${describeError(r.value.error)}`, hint: gatewayHint }
  }
}
