// main -> post hand-over of the actions that create clusters (deploy, cluster): the runner keeps
// these between the two steps, and the post step tears down from them.

import { existsSync } from 'node:fs'

import * as core from '@actions/core'

import { CleanupFailed, errorMessage } from '../errors.js'
import type { Logger } from '../log/logger.js'
import { down } from '../pipeline/pipeline.js'
import { readState, statePath } from '../state/state.js'

export enum TeardownState {
  StateDir = 'stateDir',
  Keep = 'keep',
  IgnoreCleanupErrors = 'ignoreCleanupErrors'
}

export function saveTeardownState(stateDir: string, keep: boolean, ignoreCleanupErrors = false): void {
  core.saveState(TeardownState.StateDir, stateDir)
  core.saveState(TeardownState.Keep, String(keep))
  core.saveState(TeardownState.IgnoreCleanupErrors, String(ignoreCleanupErrors))
}

export function loadTeardownState(): { stateDir: string; keep: boolean; ignoreCleanupErrors: boolean } {
  return { stateDir: core.getState(TeardownState.StateDir), keep: core.getState(TeardownState.Keep) === 'true', ignoreCleanupErrors: core.getState(TeardownState.IgnoreCleanupErrors) === 'true' }
}

/** The post step: diagnostics and teardown of what main recorded, unless `keep`. */
export async function teardownPost(log: Logger): Promise<void> {
  const { stateDir, keep, ignoreCleanupErrors } = loadTeardownState()
  if (!stateDir || !existsSync(statePath(stateDir))) {
    log.info('nothing to tear down: the main step created no state')
    return
  }
  if (keep) {
    const preview = (await readState(stateDir).catch(() => undefined))?.preview
    log.info(preview ? `PR #${preview.pr}'s preview stays after the job; closing the PR (the teardown action with pr) or the sweeper removes it` : `keep is set: the clusters recorded in ${statePath(stateDir)} stay up`)
    return
  }
  try {
    await down(stateDir, log)
  } catch (e) {
    const what = `teardown failed: ${errorMessage(e)}; what ${statePath(stateDir)} records may still exist (delete it by hand, or run the teardown action with that state)`
    if (ignoreCleanupErrors) log.warning(`${what}. ignore-cleanup-errors is set, so the job goes on`)
    else throw new CleanupFailed(`${what}. Set ignore-cleanup-errors: true to make this a warning`)
  }
}
