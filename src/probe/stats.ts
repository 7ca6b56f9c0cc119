// Latency percentiles by nearest rank: with the handful of samples a probe takes, interpolation
// would invent values that were never measured.

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10
}

export function sampleSummary(values: number[]): { n: number; p50: number; p95: number } {
  return { n: values.length, p50: roundMs(percentile(values, 50)), p95: roundMs(percentile(values, 95)) }
}
