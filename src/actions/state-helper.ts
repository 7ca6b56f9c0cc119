// main -> post hand-over of the actions that create clusters (deploy, cluster): the runner keeps
// these between the two steps, and the post step tears down from them.

import { existsSync } from 'node:fs'

import * as core from '@actions/core'

import type { Logger } from '../log/logger.js'
import { down } from '../pipeline/pipeline.js'
import { readState, statePath } from '../state/state.js'

export enum TeardownState {
  StateDir = 'stateDir',
  Keep = 'keep'
}

export function saveTeardownState(stateDir: string, keep: boolean): void {
  core.saveState(TeardownState.StateDir, stateDir)
  core.saveState(TeardownState.Keep, String(keep))
}

export function loadTeardownState(): { stateDir: string; keep: boolean } {
  return { stateDir: core.getState(TeardownState.StateDir), keep: core.getState(TeardownState.Keep) === 'true' }
}

/** The post step: diagnostics and teardown of what main recorded, unless `keep`. */
export async function teardownPost(log: Logger): Promise<void> {
  const { stateDir, keep } = loadTeardownState()
  if (!stateDir || !existsSync(statePath(stateDir))) {
    log.info('nothing to tear down: the main step created no state')
    return
  }
  if (keep) {
    const preview = (await readState(stateDir).catch(() => undefined))?.preview
    log.info(preview ? `PR #${preview.pr}'s preview stays after the job; closing the PR (the teardown action with pr) or the sweeper removes it` : `keep is set: the clusters recorded in ${statePath(stateDir)} stay up`)
    return
  }
  await down(stateDir, log)
}
