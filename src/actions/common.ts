// Steps several actions share: validate the network (failing before anything is created) and
// record the plan in the state file whose path becomes the `state` output.

import * as core from '@actions/core'

import { MissingCapabilityError } from '../errors.js'
import type { Logger } from '../log/logger.js'
import { validateAndPlan } from '../pipeline/pipeline.js'
import { readState, STATE_VERSION, writeState } from '../state/state.js'
import type { State } from '../state/state.js'

export async function validateAndRecord(networkFile: string, provider: string, stateDir: string, log: Logger): Promise<State> {
  const { plan } = await validateAndPlan(networkFile, log)
  const state: State = { version: STATE_VERSION, createdAt: new Date().toISOString(), networkFile, provider, plan, clusters: [], timings: [] }
  const path = await writeState(stateDir, state)
  core.setOutput('state', path)
  core.setOutput('plan', JSON.stringify({ clusters: plan.clusters.map(c => c.name), releases: plan.releases.length, probes: plan.probes.length }))
  return state
}

/** Validates the network input when one is given, then loads the state an earlier step wrote. */
export async function validateThenReadState(networkFile: string, stateDir: string, log: Logger): Promise<State> {
  if (networkFile) await validateAndPlan(networkFile, log)
  return readState(stateDir)
}

export function missing(capability: string, detail?: string): never {
  throw new MissingCapabilityError(capability, detail)
}
