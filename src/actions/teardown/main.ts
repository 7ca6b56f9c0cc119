import { missing, validateThenReadState } from '../common.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

await run(async log => {
  const inputs = getInputs()
  const state = await validateThenReadState(inputs.network, inputs.stateDir, log)
  if (state.clusters.length === 0) {
    log.info('nothing to tear down: the state records no cluster')
    return
  }
  missing(`teardown (provider "${state.provider}")`)
})
