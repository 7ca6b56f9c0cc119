// main -> post hand-over for the deploy action (the runner keeps these between the two steps).

import * as core from '@actions/core'

export enum DeployState {
  StateDir = 'stateDir',
  Keep = 'keep'
}

export function saveDeployState(stateDir: string, keep: boolean): void {
  core.saveState(DeployState.StateDir, stateDir)
  core.saveState(DeployState.Keep, String(keep))
}

export function loadDeployState(): { stateDir: string; keep: boolean } {
  return { stateDir: core.getState(DeployState.StateDir), keep: core.getState(DeployState.Keep) === 'true' }
}
