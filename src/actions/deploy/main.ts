import { existsSync } from 'node:fs'

import * as core from '@actions/core'

import { down, up } from '../../pipeline/pipeline.js'
import { applyProviderInputs } from '../../providers/managed/settings.js'
import { statePath } from '../../state/state.js'
import { publishState } from '../common.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'
import { loadDeployState, saveDeployState } from './state-helper.js'

await run(
  async log => {
    const inputs = getInputs()
    saveDeployState(inputs.stateDir, inputs.keep)
    // provider options (kubeconfig, region, node count, ...) travel to the provider as BAF_* settings
    await applyProviderInputs(inputs.providerInputs, inputs.stateDir, core.setSecret)
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
