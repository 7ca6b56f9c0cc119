import type { ProviderInputs } from '../../providers/managed/settings.js'
import { booleanInput, choiceInput, PROVIDERS, providerInputs, requiredInput, stateDirInput } from '../inputs.js'
import type { ProviderName } from '../inputs.js'

export interface ClusterInputs {
  network: string
  provider: ProviderName
  stateDir: string
  keep: boolean
  /** the post step warns instead of failing when the teardown fails */
  ignoreCleanupErrors: boolean
  providerInputs: ProviderInputs
}

export function getInputs(): ClusterInputs {
  return {
    network: requiredInput('network'),
    provider: choiceInput('provider', PROVIDERS),
    stateDir: stateDirInput(),
    keep: booleanInput('keep'),
    ignoreCleanupErrors: booleanInput('ignore-cleanup-errors'),
    providerInputs: providerInputs()
  }
}
