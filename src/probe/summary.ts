// From results to a verdict and to the log: counts, the run's verdict, and one line per failure
// in the form `src -> dst:port [layer] message (hint)`.

import type { ProbeOutcome, ProbeResult, ProbeRun, ProbeSettings } from './types.js'

export function summarise(results: ProbeResult[]): ProbeRun['summary'] {
  const count = (o: ProbeOutcome): number => results.filter(r => r.outcome === o).length
  return {
    total: results.length,
    passed: count('pass'),
    failed: count('fail'),
    inconclusive: count('inconclusive'),
    skipped: count('skipped'),
    // an inconclusive required probe did not prove its path: it fails the run like a failure
    requiredFailed: results.filter(r => r.spec.required && (r.outcome === 'fail' || r.outcome === 'inconclusive')).length
  }
}

export function verdictOf(summary: ProbeRun['summary']): ProbeRun['verdict'] {
  if (summary.requiredFailed > 0) return 'fail'
  // nothing probed is not a pass (sim clusters run no container)
  if (summary.total > 0 && summary.skipped === summary.total) return 'skipped'
  return 'pass'
}

export function buildRun(results: ProbeResult[], runner: ProbeRun['runner'], startedAt: string, settings?: ProbeSettings): ProbeRun {
  const summary = summarise(results)
  const run: ProbeRun = { version: 1, startedAt, finishedAt: new Date().toISOString(), runner, results, summary, verdict: verdictOf(summary) }
  if (settings) run.settings = settings
  return run
}

/** `src -> dst:port [layer] message (hint)` for every probe that did not pass or skip */
export function failureLines(run: ProbeRun): string[] {
  return run.results
    .filter(r => r.outcome === 'fail' || r.outcome === 'inconclusive')
    .map(r => {
      const failed = r.layers.find(l => l.layer === r.failedLayer)
      const layer = r.failedLayer ?? 'probe'
      const message = failed?.detail ?? r.message ?? r.outcome
      const hint = failed?.hint ? ` (${failed.hint})` : ''
      const tags = [r.outcome === 'inconclusive' ? 'inconclusive' : '', r.spec.required ? '' : 'optional'].filter(Boolean)
      return `${r.spec.from} -> ${r.spec.target.host}:${r.spec.target.port} [${layer}] ${message}${hint}${tags.length ? ` [${tags.join(', ')}]` : ''}`
    })
}

export function summaryLine(run: ProbeRun): string {
  const s = run.summary
  const skippedWhy = [...new Set(run.results.filter(r => r.outcome === 'skipped').map(r => r.message).filter(Boolean))]
  return `${s.total} probe(s): ${s.passed} passed, ${s.failed} failed, ${s.inconclusive} inconclusive, ${s.skipped} skipped${skippedWhy.length ? ` (${skippedWhy.join('; ')})` : ''}; ${s.requiredFailed} required failed; verdict ${run.verdict}`
}
