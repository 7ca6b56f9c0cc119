import { input, stateDirInput } from '../inputs.js'

export interface TeardownInputs {
  network: string
  stateDir: string
}

export function getInputs(): TeardownInputs {
  return { network: input('network'), stateDir: stateDirInput('state') }
}
