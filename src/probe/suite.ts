// The matrix: every probe through a small pool under one deadline. A probe that the deadline
// stops, or never lets start, is inconclusive - never silently passed.

import { setMaxListeners } from 'node:events'

import { mapPool } from './pool.js'
import { runProbe } from './probe.js'
import type { ProbeOptions } from './options.js'
import { buildRun } from './summary.js'
import type { ProbeResult, ProbeRun, ProbeSettings, ProbeSpec } from './types.js'

export interface SuiteOpts {
  runner?: ProbeRun['runner']
  /** called as each probe finishes (progress lines) */
  onResult?: (r: ProbeResult) => void
}

export function settingsOf(opts: ProbeOptions): ProbeSettings {
  const s: ProbeSettings = { connectTimeoutMs: opts.connectTimeoutMs, requestTimeoutMs: opts.requestTimeoutMs, deadlineMs: opts.deadlineMs, concurrency: opts.concurrency, retries: opts.retries, samples: opts.samples }
  if (opts.resolver) s.resolver = opts.resolver
  return s
}

export function notRun(spec: ProbeSpec, outcome: 'inconclusive' | 'skipped', message: string): ProbeResult {
  return { id: spec.id, spec, outcome, layers: [], attempts: 0, ms: 0, startedAt: new Date().toISOString(), message }
}

export async function runProbes(specs: ProbeSpec[], opts: ProbeOptions, suite: SuiteOpts = {}): Promise<ProbeRun> {
  const startedAt = new Date().toISOString()
  const deadline = new AbortController()
  // every probe in flight waits on the deadline: one listener each, so the pool size bounds them
  setMaxListeners(opts.concurrency + 10, deadline.signal)
  const timer = setTimeout(() => deadline.abort(), opts.deadlineMs)
  try {
    const results = await mapPool(specs, opts.concurrency, async spec => {
      const r = deadline.signal.aborted ? notRun(spec, 'inconclusive', `not run: the suite deadline of ${opts.deadlineMs} ms was reached first`) : await runProbe(spec, opts, deadline.signal)
      suite.onResult?.(r)
      return r
    })
    return buildRun(results, suite.runner ?? 'runner', startedAt, settingsOf(opts))
  } finally {
    clearTimeout(timer)
  }
}
