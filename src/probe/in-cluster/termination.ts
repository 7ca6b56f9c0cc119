// Results out of a probe pod without exec: gzip+base64 JSON in the container's termination
// message (the kubelet keeps at most 4096 bytes of it), the full results also as one log line.
// When the full form does not fit, the message carries a summary and the reader takes the log.

import { gunzipSync, gzipSync } from 'node:zlib'

import type { ProbeResult, ProbeRun, ProbeSettings } from '../types.js'

export const TERMINATION_LIMIT = 4096
export const LOG_MARKER = 'BAF-PROBE-RESULTS '
const PREFIX = 'baf-probe/v1'

/** a result without its spec: the reader has the specs it sent */
export type CompactResult = Omit<ProbeResult, 'spec'>

export interface ResultsPayload {
  startedAt: string
  finishedAt: string
  settings?: ProbeSettings
  results: CompactResult[]
  /** true when layers were dropped to fit the termination message */
  summary?: boolean
}

export type Decoded =
  | { kind: 'results'; payload: ResultsPayload; source: 'message' | 'log' }
  | { kind: 'error'; message: string }
  | { kind: 'none' }
  | { kind: 'garbled'; text: string }

const pack = (value: unknown): string => gzipSync(Buffer.from(JSON.stringify(value))).toString('base64')
const unpack = (data: string): unknown => JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'))

function payloadOf(run: ProbeRun): ResultsPayload {
  const results = run.results.map(({ spec: _spec, ...rest }) => rest)
  return { startedAt: run.startedAt, finishedAt: run.finishedAt, settings: run.settings, results }
}

/** outcome, failing layer and a short message per probe: what a verdict needs */
function summaryOf(payload: ResultsPayload): ResultsPayload {
  const results = payload.results.map(r => {
    const failed = r.layers.find(l => l.layer === r.failedLayer)
    const slim: CompactResult = { id: r.id, outcome: r.outcome, attempts: r.attempts, ms: r.ms, startedAt: r.startedAt, layers: failed ? [{ ...failed, detail: failed.detail?.slice(0, 160), hint: failed.hint?.slice(0, 160) }] : [] }
    if (r.failedLayer) slim.failedLayer = r.failedLayer
    if (r.message) slim.message = r.message.slice(0, 160)
    return slim
  })
  return { startedAt: payload.startedAt, finishedAt: payload.finishedAt, results, summary: true }
}

export function encodeResults(run: ProbeRun, limit = TERMINATION_LIMIT): { message: string; logLine: string } {
  const payload = payloadOf(run)
  const full = pack(payload)
  const logLine = LOG_MARKER + full
  const message = `${PREFIX} full ${full}`
  if (message.length <= limit) return { message, logLine }
  const summary = `${PREFIX} summary ${pack(summaryOf(payload))}`
  if (summary.length <= limit) return { message: summary, logLine }
  // too many probes even for a summary: the counts, and the log holds everything
  const s = run.summary
  return { message: `${PREFIX} log ${JSON.stringify({ total: s.total, passed: s.passed, failed: s.failed })}`, logLine }
}

export function encodeError(message: string): string {
  return `${PREFIX} error ${message}`.slice(0, TERMINATION_LIMIT)
}

/** the full results from the log, if a complete marker line is there */
function fromLog(log: string | undefined): ResultsPayload | undefined {
  for (const line of (log ?? '').split('\n').reverse()) {
    const at = line.indexOf(LOG_MARKER)
    if (at < 0) continue
    try {
      return unpack(line.slice(at + LOG_MARKER.length).trim()) as ResultsPayload
    } catch {
      // a cut line (log rotation, FallbackToLogsOnError's tail) is not a result
    }
  }
  return undefined
}

/**
 * Reads what a probe pod left: the termination message first, the log when the message says the
 * results did not fit (or is itself a log tail, as FallbackToLogsOnError makes it).
 */
export function decodeResults(message: string | undefined, log?: string): Decoded {
  const text = (message ?? '').trim()
  const m = text.match(/^baf-probe\/v1 (full|summary|log|error) ?([\s\S]*)$/)
  if (m?.[1] === 'full') {
    try {
      return { kind: 'results', payload: unpack(m[2]) as ResultsPayload, source: 'message' }
    } catch {
      return { kind: 'garbled', text: text.slice(0, 200) }
    }
  }
  if (m?.[1] === 'error') return { kind: 'error', message: m[2] }
  const logged = fromLog(log) ?? fromLog(text)
  if (logged) return { kind: 'results', payload: logged, source: 'log' }
  if (m?.[1] === 'summary') {
    try {
      return { kind: 'results', payload: unpack(m[2]) as ResultsPayload, source: 'message' }
    } catch {
      return { kind: 'garbled', text: text.slice(0, 200) }
    }
  }
  if (m?.[1] === 'log') return { kind: 'garbled', text: `the results did not fit the termination message and the pod log holds none (${m[2]})` }
  if (!text) return { kind: 'none' }
  return { kind: 'garbled', text: text.slice(0, 200) }
}

export interface Termination {
  exitCode: number
  reason?: string
  message?: string
}

interface PodLike {
  status?: {
    phase?: string
    containerStatuses?: { name: string; state?: { terminated?: { exitCode: number; reason?: string; message?: string } }; lastState?: { terminated?: { exitCode: number; reason?: string; message?: string } } }[]
  }
}

/** the probe container's terminated state from a pod's status, as the API server returns it */
export function terminationOf(pod: PodLike, container = 'probe'): Termination | undefined {
  const status = pod.status?.containerStatuses?.find(c => c.name === container)
  const t = status?.state?.terminated ?? status?.lastState?.terminated
  if (!t) return undefined
  const out: Termination = { exitCode: t.exitCode }
  if (t.reason) out.reason = t.reason
  if (t.message) out.message = t.message
  return out
}
