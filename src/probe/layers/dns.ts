// DNS: resolve the target name through the given resolver (or the system's, which in a pod is
// the cluster DNS) and compare with the gateway address the name must lead to.

import { lookup, Resolver } from 'node:dns/promises'
import { isIP } from 'node:net'

import { bounded } from '../bounded.js'
import type { Bounded } from '../bounded.js'
import { describeError, errorCode } from '../net-errors.js'
import { ABORTED, dnsSuffix } from './layer.js'
import type { LayerCheck, LayerContext } from './layer.js'

type Answer = { ok: true; addresses: string[] } | { ok: false; error: unknown }

function viaResolver(server: string, host: string, ctx: LayerContext): Promise<Bounded<Answer>> {
  return bounded<Answer>(ctx.opts.connectTimeoutMs, ctx.signal, (finish, onClose) => {
    const resolver = new Resolver({ timeout: ctx.opts.connectTimeoutMs, tries: 1 })
    resolver.setServers([server])
    onClose(() => resolver.cancel())
    resolver
      .resolve4(host)
      .catch(async (e: unknown) => {
        // a name with only AAAA records answers ENODATA for A
        if (errorCode(e) === 'ENODATA') return resolver.resolve6(host)
        throw e
      })
      .then(
        addresses => finish({ ok: true, addresses }),
        (error: unknown) => finish({ ok: false, error })
      )
  })
}

function viaSystem(host: string, ctx: LayerContext): Promise<Bounded<Answer>> {
  return bounded<Answer>(ctx.opts.connectTimeoutMs, ctx.signal, finish => {
    // getaddrinfo cannot be cancelled; a late answer lands in a settled wait and is dropped
    lookup(host, { all: true }).then(
      list => finish({ ok: true, addresses: list.map(a => a.address) }),
      (error: unknown) => finish({ ok: false, error })
    )
  })
}

export async function dnsLayer(ctx: LayerContext): Promise<LayerCheck> {
  const { host, expectAddress } = ctx.spec.target
  if (isIP(host)) return { status: 'pass', detail: `${host} is an address; nothing to resolve`, address: host }
  const via = ctx.opts.resolver ? `resolver ${ctx.opts.resolver}` : 'the system resolver'
  const suffix = dnsSuffix(host)
  const r = ctx.opts.resolver ? await viaResolver(ctx.opts.resolver, host, ctx) : await viaSystem(host, ctx)
  if (r.kind === 'aborted') return ABORTED
  if (r.kind === 'timeout') {
    return { status: 'inconclusive', detail: `no answer from ${via} for ${host} within ${ctx.opts.connectTimeoutMs} ms`, hint: `check that ${via} is reachable from the source and answers for *.${suffix}` }
  }
  if (!r.value.ok) {
    const code = errorCode(r.value.error)
    if (code === 'ENOTFOUND' || code === 'ENODATA') {
      return { status: 'fail', detail: `${host} does not resolve (${code === 'ENOTFOUND' ? 'NXDOMAIN' : 'no address record'}) via ${via}`, hint: `add *.${suffix} to the cross-cluster DNS (a CoreDNS hosts or forward block pointing at the gateway), or check external_url_suffix in network.yaml` }
    }
    if (code === 'ETIMEOUT') return { status: 'inconclusive', detail: `${via} timed out resolving ${host}`, hint: `check that ${via} is reachable and answers for *.${suffix}` }
    return { status: 'fail', detail: `resolving ${host} via ${via} failed: ${describeError(r.value.error)}`, hint: `check that ${via} serves *.${suffix} (REFUSED means it is not authoritative and forwards nowhere)` }
  }
  const addresses = r.value.addresses
  if (expectAddress && !addresses.includes(expectAddress)) {
    return {
      status: 'fail',
      detail: `${host} resolves to ${addresses.join(', ')}; expected the gateway address ${expectAddress}`,
      hint: `the DNS entry for *.${suffix} points elsewhere: update it to the gateway's LoadBalancer address ${expectAddress}`,
      address: addresses[0]
    }
  }
  const address = expectAddress ?? addresses[0]
  return { status: 'pass', detail: `${host} -> ${addresses.join(', ')}${expectAddress ? ' (the expected gateway address)' : ''}`, address }
}
