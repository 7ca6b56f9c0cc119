import { input, stateDirInput } from '../inputs.js'

export interface NetworkInputs {
  network: string
  stateDir: string
  seed: string
}

export function getInputs(): NetworkInputs {
  return { network: input('network'), stateDir: stateDirInput('state'), seed: input('seed') }
}
