import { booleanInput, choiceInput, input, PROVIDERS, requiredInput, secretInput, stateDirInput } from '../inputs.js'
import type { ProviderName } from '../inputs.js'

export interface DeployInputs {
  network: string
  provider: ProviderName
  stateDir: string
  keep: boolean
  kubeconfig: string
  seed: string
  githubToken: string
}

export function getInputs(): DeployInputs {
  return {
    network: requiredInput('network'),
    provider: choiceInput('provider', PROVIDERS),
    stateDir: stateDirInput(),
    keep: booleanInput('keep'),
    kubeconfig: secretInput('kubeconfig'),
    seed: input('seed'),
    githubToken: secretInput('github-token')
  }
}
