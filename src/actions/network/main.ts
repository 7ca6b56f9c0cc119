import { missing, validateThenReadState } from '../common.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

await run(async log => {
  const inputs = getInputs()
  const state = await validateThenReadState(inputs.network, inputs.stateDir, log)
  missing(`deploying ${state.plan.network.platform} networks`)
})
