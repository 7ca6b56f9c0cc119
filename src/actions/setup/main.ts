import { missing } from '../common.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

await run(async () => {
  const inputs = getInputs()
  missing(`tool installation (${inputs.tools.join(', ')})`)
})
