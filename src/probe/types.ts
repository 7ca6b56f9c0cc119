// The probe vocabulary shared by the plan (which probes to run), the engine (how to run them)
// and the report (how to show them). A probe is source -> target -> ordered layers.

export type ProbeLayer = 'dns' | 'tcp' | 'tls' | 'protocol' | 'dlt'
export const PROBE_LAYERS: readonly ProbeLayer[] = ['dns', 'tcp', 'tls', 'protocol', 'dlt']

/** what the protocol and DLT layers speak to the target */
export type ProbeProtocol = 'tcp' | 'http' | 'json-rpc' | 'grpc' | 'tls'

export interface ProbeSpec {
  /** stable id: `<from>-><host>:<port>` plus a qualifier when needed */
  id: string
  /** source cluster name, or `runner` for the machine running the action */
  from: string
  target: {
    host: string
    port: number
    /** TLS server name to send; defaults to host */
    sni?: string
    /** the gateway address the name must resolve to, when known */
    expectAddress?: string
    /** the node behind the endpoint, when the probe targets one */
    node?: string
    org?: string
    cluster?: string
    /** endpoint name on the node: p2p, rpc, grpc, ... */
    endpoint?: string
  }
  protocol: ProbeProtocol
  layers: ProbeLayer[]
  /** `deny`: the probe passes when the target refuses (closed port, unknown SNI) */
  expect: 'allow' | 'deny'
  /** a failed optional probe is reported but does not fail the step */
  required: boolean
  /** why this probe exists, for the report */
  reason: string
  /** DLT expectations, for the dlt layer */
  dlt?: { platform: string; minPeers?: number; validators?: number }
}
