// The limits a probe run works within. Defaults follow the probe notes (2 s connect, 10 s request,
// 3 retries for inconclusive results); everything can be tightened by tests and users.

export interface ProbeOptions {
  /** DNS server as `IP` or `IP:PORT`; empty uses the system resolver (in a pod: the cluster DNS) */
  resolver?: string
  /** PEM of the CA(s) gateway and node certificates must chain to; without it the chain is recorded, not enforced */
  ca?: string
  connectTimeoutMs: number
  requestTimeoutMs: number
  /** one deadline for the whole suite; probes still running then are reported inconclusive */
  deadlineMs: number
  /** probes in flight at once */
  concurrency: number
  /** extra attempts for inconclusive results only (timeouts of allowed paths, resets) */
  retries: number
  /** first backoff; doubles on each retry */
  backoffMs: number
  /** timing samples per layer (p50/p95 reported when more than 1) */
  samples: number
  /** how long the dlt layer waits for the block number to advance */
  blockWaitMs: number
}

export const DEFAULT_PROBE_OPTIONS: ProbeOptions = {
  connectTimeoutMs: 2_000,
  requestTimeoutMs: 10_000,
  deadlineMs: 300_000,
  // 3 clusters x 20 endpoints fit in one wave; each probe holds one socket at a time
  concurrency: 64,
  retries: 3,
  backoffMs: 500,
  samples: 1,
  // QBFT's default block period is 5 s (Bevel's besu genesis); two periods and a margin
  blockWaitMs: 12_000
}

export function probeOptions(partial: Partial<ProbeOptions> = {}): ProbeOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined && v !== '')) as Partial<ProbeOptions>
  const opts = { ...DEFAULT_PROBE_OPTIONS, ...defined }
  for (const key of ['connectTimeoutMs', 'requestTimeoutMs', 'deadlineMs', 'concurrency', 'samples', 'blockWaitMs'] as const) {
    if (!Number.isFinite(opts[key]) || opts[key] < 1) throw new Error(`probe option ${key} must be a positive number (got ${String(opts[key])})`)
  }
  if (!Number.isInteger(opts.retries) || opts.retries < 0 || opts.retries > 10) throw new Error(`probe option retries must be an integer from 0 to 10 (got ${String(opts.retries)})`)
  return opts
}

/** `IP` or `IP:PORT` (IPv6 as `[addr]:port`), as Node's Resolver.setServers takes it. */
export function parseResolver(value: string): string {
  const m = value.match(/^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/) ?? value.match(/^\[([0-9a-fA-F:]+)\](?::(\d{1,5}))?$/)
  if (!m || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) throw new Error(`resolver "${value}" must be IP or IP:PORT, e.g. 127.0.0.53:5353`)
  return value
}
