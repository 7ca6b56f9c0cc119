import { existsSync } from 'node:fs'

import { down, up } from '../../pipeline/pipeline.js'
import { statePath } from '../../state/state.js'
import { publishState } from '../common.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'
import { loadDeployState, saveDeployState } from './state-helper.js'

await run(
  async log => {
    const inputs = getInputs()
    saveDeployState(inputs.stateDir, inputs.keep)
    await up({ networkFile: inputs.network, provider: inputs.provider, stateDir: inputs.stateDir, keep: inputs.keep, log, onState: publishState })
  },
  async log => {
    const { stateDir, keep } = loadDeployState()
    if (!stateDir || !existsSync(statePath(stateDir))) {
      log.info('nothing to tear down: the main step created no state')
      return
    }
    if (keep) {
      log.info(`keep is set: the clusters recorded in ${statePath(stateDir)} stay up`)
      return
    }
    await down(stateDir, log)
  }
)
