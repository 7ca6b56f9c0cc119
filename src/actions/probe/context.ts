import { booleanInput, input, stateDirInput } from '../inputs.js'

export interface ProbeInputs {
  network: string
  stateDir: string
  failOnRequired: boolean
}

export function getInputs(): ProbeInputs {
  return { network: input('network'), stateDir: stateDirInput('state'), failOnRequired: booleanInput('fail-on-required') }
}
