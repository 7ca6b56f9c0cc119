// TLS: a ClientHello with the target's SNI and ALPN, by address, so a DNS fault cannot hide a
// gateway fault. Records subject, issuer and expiry; verifies the chain against the expected CA
// when one is given. A certificate that does not match the SNI is the gateway's default
// certificate: the SNI was not routed.

import { isIP } from 'node:net'
import { checkServerIdentity, connect } from 'node:tls'
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls'

import { bounded } from '../bounded.js'
import { classifyNetError, describeError, errorCode } from '../net-errors.js'
import type { NetFailure } from '../net-errors.js'
import { ABORTED, takeConnection, target } from './layer.js'
import type { LayerCheck, LayerContext } from './layer.js'

interface Handshaken {
  ok: true
  ms: number
  cert: DetailedPeerCertificate
  authorized: boolean
  authorizationError?: string
  alpn: string | false | null
  version: string | null
}
type Handshake = Handshaken | { ok: false; failure: NetFailure | 'closed'; error: unknown }

export function alpnFor(protocol: string): string[] {
  if (protocol === 'grpc') return ['h2']
  if (protocol === 'http' || protocol === 'json-rpc') return ['http/1.1']
  return ['h2', 'http/1.1']
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

export function describeCert(cert: DetailedPeerCertificate): { subject: string; issuer: string; san: string; validTo: Date; validFrom: Date } {
  return {
    subject: `CN=${first(cert.subject?.CN) ?? '?'}`,
    issuer: `CN=${first(cert.issuer?.CN) ?? '?'}`,
    san: cert.subjectaltname ?? 'none',
    validTo: new Date(cert.valid_to),
    validFrom: new Date(cert.valid_from)
  }
}

export async function tlsLayer(ctx: LayerContext): Promise<LayerCheck> {
  const sni = ctx.spec.target.sni ?? ctx.spec.target.host
  const where = target(ctx)
  const started = performance.now()
  // the TCP layer's connection when it handed one on, else a fresh one
  const tcp = takeConnection(ctx)
  let secured: TLSSocket | undefined
  // connect and handshake each get the connect timeout
  const r = await bounded<Handshake>(ctx.opts.connectTimeoutMs * 2, ctx.signal, (finish, onClose) => {
    let connectedAt = started
    const socket = connect({
      ...(tcp ? { socket: tcp } : { host: ctx.address, port: ctx.spec.target.port }),
      // Node sends no SNI for an address; the identity check below still uses it
      servername: isIP(sni) ? undefined : sni,
      ALPNProtocols: alpnFor(ctx.spec.protocol),
      ca: ctx.opts.ca || undefined,
      // the verdict is ours to make (default certificate vs wrong CA vs expired), so never abort the handshake
      rejectUnauthorized: false
    })
    onClose(() => {
      // a secured socket is judged below; one that never got there goes, with the TCP under it
      if (secured !== socket) {
        socket.destroy()
        tcp?.destroy()
      }
    })
    socket.once('connect', () => (connectedAt = performance.now()))
    socket.once('secureConnect', () => {
      secured = socket
      finish({
        ok: true,
        ms: performance.now() - connectedAt,
        cert: socket.getPeerCertificate(true),
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
        alpn: socket.alpnProtocol,
        version: socket.getProtocol()
      })
    })
    socket.on('error', (error: Error) => finish({ ok: false, failure: classifyNetError(error), error }))
    socket.once('close', () => finish({ ok: false, failure: 'closed', error: new Error('connection closed before the TLS handshake finished') }))
  })
  if (r.kind === 'aborted') return ABORTED
  if (r.kind === 'timeout') {
    return {
      status: 'inconclusive',
      denied: 'timeout',
      detail: `no TLS handshake with ${where} (SNI ${sni}) within ${ctx.opts.connectTimeoutMs * 2} ms`,
      hint: `the connection was accepted but nothing answered the ClientHello: check that the backend behind SNI ${sni} is up and serving TLS`
    }
  }
  if (!r.value.ok) return handshakeFailure(r.value, sni, where)
  const check = judgeCertificate(ctx, r.value, sni)
  // the protocol layer speaks over this checked session; anything else closes it now
  if (check.status === 'pass' && ctx.handOn && secured) ctx.connection = secured
  else secured?.destroy()
  return check
}

function handshakeFailure(f: Exclude<Handshake, Handshaken>, sni: string, where: string): LayerCheck {
  const code = errorCode(f.error)
  if (code.includes('CERTIFICATE_REQUIRED') || /certificate required/i.test(describeError(f.error))) {
    return { status: 'fail', detail: `${where} requires a client certificate (mTLS)`, hint: 'the endpoint enforces mutual TLS: probe it with a client certificate, or check that the gateway passes TLS through instead of terminating it' }
  }
  if (f.failure === 'closed' || f.failure === 'reset') {
    return {
      status: 'inconclusive',
      denied: 'sni-rejected',
      detail: `${where} closed the connection during the TLS handshake for SNI ${sni}`,
      hint: `no gateway route matches SNI ${sni}: check the SNI passthrough route (ssl-passthrough host) for ${sni}`
    }
  }
  if (f.failure === 'refused') return { status: 'fail', denied: 'refused', detail: `connection to ${where} refused`, hint: 'nothing listens on the TLS port of the gateway' }
  return { status: 'fail', detail: `TLS handshake with ${where} failed: ${describeError(f.error)}`, hint: 'the port does not speak TLS, or speaks a version or cipher the client rejects: check the gateway port and that TLS is not terminated twice' }
}

function judgeCertificate(ctx: LayerContext, h: Handshaken, sni: string): LayerCheck {
  if (!h.cert || Object.keys(h.cert).length === 0) return { status: 'fail', detail: `${sni}: the server sent no certificate`, hint: 'check the TLS configuration of the backend', ms: h.ms }
  const c = describeCert(h.cert)
  const seen = `${c.subject} (SAN ${c.san}), issuer ${c.issuer}`
  if (checkServerIdentity(sni, h.cert) !== undefined) {
    return {
      status: 'fail',
      denied: 'default-certificate',
      detail: `certificate ${seen} does not match SNI ${sni}: the gateway answered with a default certificate, so SNI ${sni} is not routed`,
      hint: `add an SNI passthrough route for ${sni} on the gateway, or check the host name in network.yaml`,
      ms: h.ms
    }
  }
  // for a path that must be closed, a matching certificate is enough to prove it is open
  if (ctx.spec.expect === 'deny') return { status: 'pass', detail: `SNI ${sni} routed to a backend presenting ${seen}`, ms: h.ms }
  const now = Date.now()
  const who = ctx.spec.target.node ?? sni
  if (c.validTo.getTime() < now) return { status: 'fail', detail: `certificate ${seen} expired on ${c.validTo.toISOString()}`, hint: `renew the TLS certificate of ${who}`, ms: h.ms }
  if (c.validFrom.getTime() > now) return { status: 'fail', detail: `certificate ${seen} is not valid before ${c.validFrom.toISOString()}`, hint: `check the clock of the machine that issued the certificate of ${who}`, ms: h.ms }
  if (ctx.opts.ca && !h.authorized) {
    return {
      status: 'fail',
      detail: `certificate ${seen} does not chain to the expected CA (${h.authorizationError ?? 'unverified'})`,
      hint: `${who} presents a certificate from another CA, or the gateway terminates TLS with its own: check the node's TLS secret and that the gateway passes TLS through`,
      ms: h.ms
    }
  }
  const extras = [h.version, h.alpn ? `ALPN ${h.alpn}` : 'no ALPN', ctx.opts.ca ? 'chain verified' : 'chain not verified (no CA given)'].filter(Boolean)
  return { status: 'pass', detail: `${seen}, expires ${c.validTo.toISOString().slice(0, 10)}, ${extras.join(', ')}`, ms: h.ms }
}
