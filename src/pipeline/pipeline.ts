// The pipeline that `baf up` and the deploy action run: validate -> plan -> provision -> deploy
// -> probe -> report. Validation and planning always run first, so bad input fails before
// anything exists.

import { MissingCapabilityError, ValidationFailed } from '../errors.js'
import type { Logger } from '../log/logger.js'
import { reportDiagnostics, validateFiles } from '../model/index.js'
import type { Network } from '../model/network.js'
import { buildPlan } from '../plan/plan.js'
import type { Plan } from '../plan/types.js'
import { readState, STATE_VERSION, writeState } from '../state/state.js'

export type PipelineStage = 'validate' | 'up' | 'probe' | 'report' | 'down'

export interface PipelineOpts {
  stage: PipelineStage
  networkFile: string
  provider: string
  stateDir: string
  log: Logger
}

export interface ValidatedNetwork {
  network: Network
  plan: Plan
}

/** Validate and plan; report every diagnostic; throw ValidationFailed on any error. */
export async function validateAndPlan(networkFile: string, log: Logger): Promise<ValidatedNetwork> {
  return log.group('Validate network', async () => {
    const result = await validateFiles([networkFile])
    reportDiagnostics(result.diagnostics, log)
    if (result.errorCount > 0) throw new ValidationFailed(result.errorCount)
    const network = result.networks[0]
    const plan = buildPlan(network)
    log.info(`${networkFile}: ${network.platform} ${network.version}, ${network.organizations.length} organisation(s) on ${plan.clusters.length} cluster(s), ${plan.releases.length} release(s), ${plan.probes.length} probe(s); ${result.warningCount} warning(s)`)
    return { network, plan }
  })
}

export async function runPipeline(opts: PipelineOpts): Promise<void> {
  if (opts.stage !== 'up' && opts.stage !== 'validate') {
    // later phases work from what `up` recorded; they never re-plan from a file that may have changed
    await readState(opts.stateDir)
    const capability = { probe: 'the probe engine', report: 'the topology report', down: 'teardown' }[opts.stage]
    throw new MissingCapabilityError(capability)
  }
  const { plan } = await validateAndPlan(opts.networkFile, opts.log)
  if (opts.stage === 'validate') return
  const path = await writeState(opts.stateDir, {
    version: STATE_VERSION,
    createdAt: new Date().toISOString(),
    networkFile: opts.networkFile,
    provider: opts.provider,
    plan,
    clusters: [],
    timings: []
  })
  opts.log.info(`plan written to ${path}`)
  throw new MissingCapabilityError(`cluster provisioning (provider "${opts.provider}")`)
}
