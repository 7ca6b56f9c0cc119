// One probe: its layers in order, stopping at the first that does not pass. Expected-deny probes
// pass on the first denial and fail when every layer passes (the path is open). Inconclusive
// results (timeouts of allowed paths, resets) are retried with backoff; definite ones never are.

import { pause } from './bounded.js'
import { LAYER_CHECKS, SAMPLED_LAYERS } from './layers/index.js'
import { takeConnection } from './layers/layer.js'
import type { LayerCheck, LayerContext } from './layers/layer.js'
import type { ProbeOptions } from './options.js'
import { roundMs, sampleSummary } from './stats.js'
import type { LayerResult, ProbeLayer, ProbeOutcome, ProbeResult, ProbeSpec } from './types.js'

interface Attempt {
  /** `retry`: inconclusive, worth another attempt; `stopped`: the suite deadline */
  kind: 'pass' | 'fail' | 'retry' | 'untestable' | 'stopped'
  layers: LayerResult[]
  message?: string
}

function toResult(layer: ProbeLayer, check: LayerCheck, ms: number): LayerResult {
  const r: LayerResult = { layer, status: check.status, ms: roundMs(ms) }
  if (check.detail) r.detail = check.detail
  if (check.hint && check.status !== 'pass') r.hint = check.hint
  return r
}

async function timed(layer: ProbeLayer, ctx: LayerContext): Promise<{ check: LayerCheck; ms: number }> {
  const started = performance.now()
  const check = await LAYER_CHECKS[layer](ctx)
  return { check, ms: check.ms ?? performance.now() - started }
}

function openHint(spec: ProbeSpec): string {
  const last = spec.layers[spec.layers.length - 1]
  if (last === 'tls') return `the gateway routes SNI ${spec.target.sni ?? spec.target.host}: remove that route or make unknown SNIs fall through to a reject backend`
  return `close port ${spec.target.port} on ${spec.target.host} (a firewall rule, or remove the listener from the gateway)`
}

async function attemptOnce(spec: ProbeSpec, opts: ProbeOptions, signal: AbortSignal): Promise<Attempt> {
  const layers: LayerResult[] = []
  const ctx: LayerContext = { spec, opts, signal, address: spec.target.expectAddress ?? spec.target.host, handOn: false }
  try {
    return await runLayers(spec, opts, ctx, layers)
  } finally {
    // a connection handed on to a layer that never ran (the probe stopped) is closed here
    ctx.connection?.destroy()
  }
}

/** TCP hands its connection to TLS or the protocol check, TLS hands its session to the protocol check */
function canHandOn(layer: ProbeLayer, next: ProbeLayer | undefined): boolean {
  return (layer === 'tcp' && (next === 'tls' || next === 'protocol')) || (layer === 'tls' && next === 'protocol')
}

async function runLayers(spec: ProbeSpec, opts: ProbeOptions, ctx: LayerContext, layers: LayerResult[]): Promise<Attempt> {
  for (const [i, layer] of spec.layers.entries()) {
    ctx.handOn = canHandOn(layer, spec.layers[i + 1])
    const { check, ms } = await timed(layer, ctx)
    ctx.handOn = false
    if (check.address) ctx.address = check.address
    if (check.aborted) {
      layers.push(toResult(layer, check, ms))
      return { kind: 'stopped', layers, message: check.detail }
    }
    if (check.denied && spec.expect === 'deny') {
      layers.push({ layer, status: 'pass', ms: roundMs(ms), detail: `denied as expected: ${check.detail}` })
      return { kind: 'pass', layers, message: `denied as expected (${check.denied})` }
    }
    if (check.status === 'pass' || check.status === 'skip') {
      const result = toResult(layer, check, ms)
      if (check.status === 'pass' && opts.samples > 1 && SAMPLED_LAYERS.has(layer) && spec.expect === 'allow') await sample(layer, ctx, ms, opts.samples, result)
      layers.push(result)
      continue
    }
    layers.push(toResult(layer, check, ms))
    // a path that must be closed but could not be tested (no DNS answer) proves nothing either way
    if (spec.expect === 'deny') return { kind: check.status === 'inconclusive' ? 'retry' : 'untestable', layers, message: `the denial could not be tested: ${check.detail}` }
    return { kind: check.status === 'inconclusive' ? 'retry' : 'fail', layers, message: check.detail }
  }
  if (spec.expect === 'deny') {
    const last = layers[layers.length - 1]
    if (last) {
      last.status = 'fail'
      last.detail = `${last.detail ?? 'connected'}: the path is open but must be denied`
      last.hint = openHint(spec)
    }
    return { kind: 'fail', layers, message: last?.detail ?? 'the path is open but must be denied' }
  }
  return { kind: 'pass', layers }
}

/** repeats a passed layer for latency samples; the layer's time becomes the median */
async function sample(layer: ProbeLayer, ctx: LayerContext, firstMs: number, n: number, into: LayerResult): Promise<void> {
  const values = [firstMs]
  // samples make their own connections; the one handed on waits for the next layer
  const kept = ctx.connection
  ctx.connection = undefined
  try {
    for (let i = 1; i < n && !ctx.signal.aborted; i++) {
      const { check, ms } = await timed(layer, ctx)
      takeConnection(ctx)?.destroy()
      if (check.status === 'pass') values.push(ms)
    }
  } finally {
    ctx.connection = kept
  }
  into.samples = sampleSummary(values)
  into.ms = into.samples.p50
}

const OUTCOME: Record<Attempt['kind'], ProbeOutcome> = { pass: 'pass', fail: 'fail', retry: 'fail', untestable: 'inconclusive', stopped: 'inconclusive' }

export async function runProbe(spec: ProbeSpec, opts: ProbeOptions, signal: AbortSignal): Promise<ProbeResult> {
  const startedAt = new Date().toISOString()
  const started = performance.now()
  let attempts = 0
  let last: Attempt
  try {
    for (;;) {
      attempts++
      last = await attemptOnce(spec, opts, signal)
      if (last.kind !== 'retry' || attempts > opts.retries) break
      if (!(await pause(opts.backoffMs * 2 ** (attempts - 1), signal))) {
        last = { ...last, kind: 'stopped', message: `${last.message ?? ''}; the suite deadline came before a retry`.replace(/^; /, '') }
        break
      }
    }
  } catch (e) {
    // a bug in a layer must cost this probe, never the run
    last = { kind: 'stopped', layers: [], message: `probe engine error: ${e instanceof Error ? e.message : String(e)}` }
  }
  // a denial that stayed untestable on every attempt proves nothing either way
  const outcome = last.kind === 'retry' && spec.expect === 'deny' ? 'inconclusive' : OUTCOME[last.kind]
  const layers = last.layers
  if (last.kind === 'retry' && spec.expect === 'allow') {
    // inconclusive on every attempt: for a path that must be open, that is a failure
    const tail = layers[layers.length - 1]
    if (tail) {
      tail.status = 'fail'
      tail.detail = `${tail.detail ?? ''} (${attempts} attempt${attempts > 1 ? 's' : ''})`
    }
    last.message = tail?.detail ?? last.message
  }
  const failedLayer = layers.find(l => l.status !== 'pass' && l.status !== 'skip')?.layer
  const result: ProbeResult = { id: spec.id, spec, outcome, layers, attempts, ms: roundMs(performance.now() - started), startedAt }
  if (failedLayer && outcome !== 'pass') result.failedLayer = failedLayer
  if (last.message) result.message = last.message
  return result
}
