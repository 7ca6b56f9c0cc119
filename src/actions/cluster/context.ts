import { booleanInput, choiceInput, PROVIDERS, requiredInput, secretInput, stateDirInput } from '../inputs.js'
import type { ProviderName } from '../inputs.js'

export interface ClusterInputs {
  network: string
  provider: ProviderName
  stateDir: string
  keep: boolean
  kubeconfig: string
}

export function getInputs(): ClusterInputs {
  return {
    network: requiredInput('network'),
    provider: choiceInput('provider', PROVIDERS),
    stateDir: stateDirInput(),
    keep: booleanInput('keep'),
    kubeconfig: secretInput('kubeconfig')
  }
}
