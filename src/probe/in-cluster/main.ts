// The in-cluster probe runner (bundled alone as dist/probe-runner.js and shipped in a ConfigMap):
// reads the probe list, runs it from inside the source cluster, and leaves the results in the
// termination message and the log. Node built-ins only, so one file is the whole program.

import { readFileSync, writeFileSync } from 'node:fs'

import { probeOptions } from '../options.js'
import type { ProbeOptions } from '../options.js'
import { runProbes } from '../suite.js'
import { failureLines, summaryLine } from '../summary.js'
import type { ProbeSpec } from '../types.js'
import { encodeError, encodeResults } from './termination.js'

export interface RunnerConfig {
  specs: ProbeSpec[]
  options: Partial<ProbeOptions>
}

const terminationLog = process.env.BAF_TERMINATION_LOG ?? '/dev/termination-log'

try {
  const config = JSON.parse(readFileSync(process.argv[2] ?? '/baf-probe/config.json', 'utf8')) as RunnerConfig
  const run = await runProbes(config.specs, probeOptions(config.options), { runner: 'in-cluster' })
  const { message, logLine } = encodeResults(run)
  for (const line of failureLines(run)) process.stderr.write(line + '\n')
  process.stderr.write(summaryLine(run) + '\n')
  process.stdout.write(logLine + '\n')
  writeFileSync(terminationLog, message)
} catch (e) {
  const why = e instanceof Error ? e.message : String(e)
  process.stderr.write(`baf probe runner: ${why}\n`)
  try {
    writeFileSync(terminationLog, encodeError(why))
  } catch {
    // without a termination log the reader falls back to the log tail
  }
  process.exitCode = 1
}
