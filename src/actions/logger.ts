import * as core from '@actions/core'

import type { AnnotationProps, Logger } from '../log/logger.js'

/** The library's Logger on the Actions runner: groups fold in the log, problems become annotations. */
export class ActionsLogger implements Logger {
  info(message: string): void {
    core.info(message)
  }
  debug(message: string): void {
    core.debug(message)
  }
  warning(message: string, props?: AnnotationProps): void {
    core.warning(message, props)
  }
  error(message: string, props?: AnnotationProps): void {
    core.error(message, props)
  }
  group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return core.group(name, fn)
  }
}
