import { UsageError } from '../../errors.js'
import { CHART_SOURCES } from '../../model/network.js'
import type { ChartSource } from '../../model/network.js'

/** `--chart-source`, shared by `up` and `plan`: absent means the file's baf.chart_source. */
export const chartSourceFlag = { 'chart-source': { type: 'string' as const } }

export function chartSourceOption(value: unknown): ChartSource | undefined {
  if (value === undefined) return undefined
  if (!(CHART_SOURCES as readonly unknown[]).includes(value)) throw new UsageError(`--chart-source must be one of ${CHART_SOURCES.join(', ')} (got "${String(value)}")`)
  return value as ChartSource
}

