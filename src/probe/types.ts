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
  dlt?: DltExpectations
}

/** what the dlt layer checks on a ledger node */
export interface DltExpectations {
  platform: string
  /** `net_peerCount` at least this: every other node of the network (each one has all of them as static nodes) */
  minPeers?: number
  /** how many validators the consensus API must list, when their addresses are not known */
  validators?: number
  /**
   * the validator nodes: the plan names them, the probe phase adds each one's address from the
   * identities the deploy recorded (absent with Bevel's charts); with every address known the
   * dlt layer compares the set of addresses instead of the count
   */
  validatorSet?: ExpectedValidator[]
}

export interface ExpectedValidator {
  org: string
  node: string
  /** 0x-prefixed account address, any case */
  address?: string
}

export type LayerStatus = 'pass' | 'fail' | 'skip' | 'inconclusive'

export interface LayerResult {
  layer: ProbeLayer
  status: LayerStatus
  /** wall time of this layer (the median when several samples were taken) */
  ms: number
  /** what was observed: the resolved address, the certificate subject, the peer count, ... */
  detail?: string
  /** for a failure: what to check, in a sentence */
  hint?: string
  samples?: { n: number; p50: number; p95: number }
}

export type ProbeOutcome = 'pass' | 'fail' | 'inconclusive' | 'skipped'

export interface ProbeResult {
  id: string
  spec: ProbeSpec
  /** `pass` for an expected denial that was denied; `fail` for an allowed path that failed or a denied path that connected */
  outcome: ProbeOutcome
  layers: LayerResult[]
  /** the first layer that did not pass */
  failedLayer?: ProbeLayer
  attempts: number
  ms: number
  startedAt: string
  /** one line saying why: the failing layer's detail, a denial, or why the probe was skipped */
  message?: string
}

export interface ProbeRun {
  version: 1
  startedAt: string
  finishedAt: string
  /** where the probes ran from: the runner, or in-cluster Jobs */
  runner: 'runner' | 'in-cluster'
  results: ProbeResult[]
  /** `requiredFailed` counts required probes that failed or stayed inconclusive */
  summary: { total: number; passed: number; failed: number; inconclusive: number; skipped: number; requiredFailed: number }
  /** `skipped` when nothing was probed (every probe skipped, e.g. on sim clusters): never reported as a pass */
  verdict: 'pass' | 'fail' | 'skipped'
  /** the limits the engine ran with, so a reader can tell a timeout from a slow path */
  settings?: ProbeSettings
}

export interface ProbeSettings {
  connectTimeoutMs: number
  requestTimeoutMs: number
  deadlineMs: number
  concurrency: number
  retries: number
  samples: number
  resolver?: string
}
