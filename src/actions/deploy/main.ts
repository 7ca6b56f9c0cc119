import { existsSync } from 'node:fs'

import { validateAndRecord, missing } from '../common.js'
import { run } from '../runner.js'
import { statePath } from '../../state/state.js'
import { getInputs } from './context.js'
import { loadDeployState, saveDeployState } from './state-helper.js'

await run(
  async log => {
    const inputs = getInputs()
    saveDeployState(inputs.stateDir, inputs.keep)
    await validateAndRecord(inputs.network, inputs.provider, inputs.stateDir, log)
    missing(`cluster provisioning (provider "${inputs.provider}")`, 'the network was validated and planned; nothing was created')
  },
  async log => {
    const { stateDir } = loadDeployState()
    if (!stateDir || !existsSync(statePath(stateDir))) {
      log.info('nothing to tear down: the main step created no state')
      return
    }
    log.info(`nothing to tear down: ${statePath(stateDir)} records no cluster`)
  }
)
