import { missing, validateAndRecord } from '../common.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

await run(
  async log => {
    const inputs = getInputs()
    await validateAndRecord(inputs.network, inputs.provider, inputs.stateDir, log)
    missing(`cluster provisioning (provider "${inputs.provider}")`, 'the network was validated and planned; nothing was created')
  },
  async log => {
    log.info('nothing to tear down: no cluster was created')
  }
)
