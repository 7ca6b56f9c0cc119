// Probing with a network file given again (`baf probe --network`, the probe action's `network`):
// its plan's paths on the clusters the state records, with the validators the deploy knows.

import type { Logger } from '../log/logger.js'
import { expectValidators } from '../plan/probes.js'
import { readState } from '../state/state.js'
import { clustersNotInState } from './run.js'
import type { ProbeSpec } from './types.js'

export class PlanNotInState extends Error {
  override name = 'PlanNotInState'
}

export async function replannedProbes(networkFile: string, stateDir: string, log: Logger): Promise<ProbeSpec[]> {
  const { plan } = await (await import('../pipeline/pipeline.js')).validateAndPlan(networkFile, log)
  const state = await readState(stateDir)
  const missing = clustersNotInState(plan, state.clusters)
  if (missing.length > 0) {
    const recorded = state.clusters.map(c => c.name)
    throw new PlanNotInState(
      `${networkFile} plans cluster(s) ${missing.join(', ')} that the state in ${stateDir} does not record (it has ${recorded.length > 0 ? recorded.join(', ') : 'none'}): probe with the network file the clusters were created from`
    )
  }
  return expectValidators(plan.probes, state.identities)
}
