// Steps several actions share: the state file as an output, and validating a network input.

import * as core from '@actions/core'

import type { Logger } from '../log/logger.js'
import { validateAndPlan } from '../pipeline/pipeline.js'
import { readState } from '../state/state.js'
import type { State } from '../state/state.js'

export function publishState(path: string, state: State): void {
  core.setOutput('state', path)
  core.setOutput('plan', JSON.stringify({ clusters: state.plan.clusters.map(c => c.name), releases: state.plan.releases.length, probes: state.plan.probes.length }))
}

/** Validates the network input when one is given, then loads the state an earlier step wrote. */
export async function validateThenReadState(networkFile: string, stateDir: string, log: Logger): Promise<State> {
  if (networkFile) await validateAndPlan(networkFile, log)
  return readState(stateDir)
}
