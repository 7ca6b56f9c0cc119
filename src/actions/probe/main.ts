import * as core from '@actions/core'

import { parseResolver } from '../../probe/options.js'
import { probeState } from '../../probe/run.js'
import { replannedProbes } from '../../probe/replan.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

/** a verdict, not a bug: the failure lines above say what failed, so no stack trace */
class RequiredProbesFailed extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RequiredProbesFailed'
    this.stack = ''
  }
}

await run(async log => {
  const inputs = getInputs()
  // a network given again is planned again: its paths are probed, on the clusters the state records
  const specs = inputs.network ? await replannedProbes(inputs.network, inputs.stateDir, log) : undefined
  const result = await probeState({
    stateDir: inputs.stateDir,
    specs,
    runner: inputs.runner,
    options: {
      resolver: inputs.resolver ? parseResolver(inputs.resolver) : undefined,
      deadlineMs: inputs.timeoutSeconds === undefined ? undefined : inputs.timeoutSeconds * 1000,
      concurrency: inputs.concurrency,
      samples: inputs.samples
    },
    caFile: inputs.ca || undefined,
    image: inputs.image || undefined,
    log
  })
  const s = result.run.summary
  core.setOutput('results', result.resultsPath)
  core.setOutput('junit', result.junitPath)
  core.setOutput('passed', String(s.passed))
  core.setOutput('failed', String(s.failed + s.inconclusive))
  core.setOutput('verdict', result.run.verdict)
  if (result.run.verdict === 'fail') {
    const message = `${s.requiredFailed} required probe(s) failed or stayed inconclusive (see the lines above and ${result.junitPath})`
    if (inputs.failOnRequired) throw new RequiredProbesFailed(message)
    log.warning(`${message}; fail-on-required is false, so the step passes`)
  }
})
