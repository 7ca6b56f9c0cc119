// Every action starts here: one entry for main and post (the runner calls the same bundle
// twice; a saved state tells the two apart), and the only place that calls setFailed.

import * as core from '@actions/core'

import { CleanupFailed, errorMessage, MissingCapabilityError, ValidationFailed } from '../errors.js'
import { ActionsLogger } from './logger.js'
import type { Logger } from '../log/logger.js'

const IS_POST = 'isPost'

export type Step = (log: Logger) => Promise<void>

export async function run(main: Step, post?: Step): Promise<void> {
  const log = new ActionsLogger()
  const isPost = core.getState(IS_POST) === 'true'
  if (!isPost) core.saveState(IS_POST, 'true')
  if (isPost) {
    // a post step fails the job only for a teardown that failed (leaked clusters cost money), and
    // not when the caller tolerates that (ignore-cleanup-errors); anything else is a warning
    try {
      await post?.(log)
    } catch (e) {
      if (e instanceof CleanupFailed) core.setFailed(e.message)
      else core.warning(`post step: ${errorMessage(e)}`)
    }
    return
  }
  try {
    await main(log)
  } catch (e) {
    // the message says what and what to do; the stack helps only whoever debugs baf-action itself
    if (e instanceof Error && e.stack && !(e instanceof ValidationFailed || e instanceof MissingCapabilityError)) core.debug(e.stack)
    core.setFailed(e instanceof Error ? e.message : String(e))
  }
}
