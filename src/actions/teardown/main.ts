import { down } from '../../pipeline/pipeline.js'
import { validateThenReadState } from '../common.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

await run(async log => {
  const inputs = getInputs()
  if (inputs.pr) {
    const { teardownPreview } = await import('./preview.js')
    await teardownPreview(inputs, log)
    return
  }
  await validateThenReadState(inputs.network, inputs.stateDir, log)
  await down(inputs.stateDir, log)
})
