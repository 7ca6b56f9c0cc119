import { UsageError } from '../../errors.js'
import { formatDiagnostic, validateFiles } from '../../model/index.js'
import { defaultNetworkFile } from '../../paths.js'
import { buildPlan } from '../../plan/plan.js'
import { renderPlanTree } from '../../plan/render.js'
import { applyChartSource } from '../../platforms/besu/bevel-rules.js'
import { chartSourceFlag, chartSourceOption } from './chart-source.js'
import type { Command } from './command.js'

export const plan: Command = {
  usage: `usage: baf plan [FILE] [--json] [--chart-source baf|bevel]

Validates FILE (default: the embedded two-cluster Besu example) and prints the plan: clusters,
namespaces, gateway listeners, releases in dependency order, node endpoints and probes.
--json prints the plan document described in docs/plan.md. --chart-source plans the releases
of that chart source (default: the file's baf.chart_source, else baf).`,
  options: { json: { type: 'boolean', default: false }, ...chartSourceFlag },
  async run({ values, positionals }) {
    if (positionals.length > 1) throw new UsageError('give one network file')
    const file = positionals[0] ?? defaultNetworkFile()
    const chartSource = chartSourceOption(values['chart-source'])
    const result = await validateFiles([file])
    for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n')
    if (result.errorCount > 0) return 1
    applyChartSource(result.networks[0], chartSource)
    const p = buildPlan(result.networks[0])
    process.stdout.write((values.json ? JSON.stringify(p, null, 2) : renderPlanTree(p)) + '\n')
    return 0
  }
}
