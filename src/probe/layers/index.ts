import type { ProbeLayer } from '../types.js'
import { dltLayer } from './dlt.js'
import { dnsLayer } from './dns.js'
import type { LayerCheckFn } from './layer.js'
import { protocolLayer } from './protocol.js'
import { tcpLayer } from './tcp.js'
import { tlsLayer } from './tls.js'

/** one check per layer; the Record makes the compiler insist on every layer */
export const LAYER_CHECKS: Record<ProbeLayer, LayerCheckFn> = { dns: dnsLayer, tcp: tcpLayer, tls: tlsLayer, protocol: protocolLayer, dlt: dltLayer }

/** layers cheap and stateless enough to repeat for latency samples (dlt waits for blocks) */
export const SAMPLED_LAYERS: ReadonlySet<ProbeLayer> = new Set(['dns', 'tcp', 'tls', 'protocol'])
