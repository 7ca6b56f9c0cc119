// `baf probe --endpoint URL`: one path, the way a user checks a misbehaving gateway by hand.
// The URL scheme picks the layers; everything else comes from flags.

import { isIP } from 'node:net'

import type { ProbeLayer, ProbeProtocol, ProbeResult, ProbeSpec } from './types.js'

const SCHEMES: Record<string, { protocol: ProbeProtocol; layers: ProbeLayer[]; defaultPort?: number }> = {
  'tcp:': { protocol: 'tcp', layers: ['dns', 'tcp'] },
  'tls:': { protocol: 'tls', layers: ['dns', 'tcp', 'tls'], defaultPort: 443 },
  'http:': { protocol: 'http', layers: ['dns', 'tcp', 'protocol'], defaultPort: 80 },
  'https:': { protocol: 'http', layers: ['dns', 'tcp', 'tls', 'protocol'], defaultPort: 443 },
  'jsonrpc+http:': { protocol: 'json-rpc', layers: ['dns', 'tcp', 'protocol'], defaultPort: 80 },
  'jsonrpc+https:': { protocol: 'json-rpc', layers: ['dns', 'tcp', 'tls', 'protocol'], defaultPort: 443 },
  'grpc:': { protocol: 'grpc', layers: ['dns', 'tcp', 'protocol'] },
  'grpc+tls:': { protocol: 'grpc', layers: ['dns', 'tcp', 'tls', 'protocol'], defaultPort: 443 }
}

export const ENDPOINT_SCHEMES = Object.keys(SCHEMES).map(s => s.slice(0, -1))

export interface EndpointOpts {
  /** connect here (skips DNS: the name is still the SNI and Host) */
  address?: string
  sni?: string
  expect?: 'allow' | 'deny'
  /** adds the dlt layer for a JSON-RPC or Fabric operations endpoint */
  platform?: string
  minPeers?: number
}

/** throws an Error naming what is wrong; the CLI turns it into a usage error */
export function endpointSpec(url: string, o: EndpointOpts = {}): ProbeSpec {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new Error(`--endpoint "${url}" is not a URL; use one of ${ENDPOINT_SCHEMES.map(s => `${s}://`).join(', ')}`)
  }
  const scheme = SCHEMES[u.protocol]
  if (!scheme) throw new Error(`--endpoint scheme "${u.protocol}" is not one of ${ENDPOINT_SCHEMES.join(', ')}`)
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1')
  const port = u.port ? Number(u.port) : scheme.defaultPort
  if (!host || port === undefined) throw new Error(`--endpoint "${url}" needs a host and a port`)
  if (o.address !== undefined && !isIP(o.address)) throw new Error(`--address "${o.address}" is not an IP address`)
  let layers = [...scheme.layers]
  if (o.address) layers = layers.filter(l => l !== 'dns')
  if (o.platform) layers.push('dlt')
  const spec: ProbeSpec = {
    id: `runner->${host}:${port}`,
    from: 'runner',
    target: { host, port },
    protocol: scheme.protocol,
    layers,
    expect: o.expect ?? 'allow',
    required: true,
    reason: `baf probe --endpoint ${url}`
  }
  if (o.address) spec.target.expectAddress = o.address
  if (o.sni) spec.target.sni = o.sni
  if (o.platform) spec.dlt = { platform: o.platform, minPeers: o.minPeers ?? 1 }
  return spec
}

/** the `--json` shape: layer status is pass, fail or skip (inconclusive did not prove the path: fail) */
export function endpointReport(url: string, r: ProbeResult): { endpoint: string; expect: string; verdict: 'pass' | 'fail'; layers: { layer: string; status: 'pass' | 'fail' | 'skip'; ms: number; detail?: string; hint?: string }[] } {
  return {
    endpoint: url,
    expect: r.spec.expect,
    verdict: r.outcome === 'pass' ? 'pass' : 'fail',
    layers: r.layers.map(l => ({ layer: l.layer, status: l.status === 'inconclusive' ? 'fail' : l.status, ms: l.ms, ...(l.detail ? { detail: l.detail } : {}), ...(l.hint ? { hint: l.hint } : {}) }))
  }
}
